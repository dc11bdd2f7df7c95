declare module 'tdigest' {
  export class TDigest {
    constructor(delta?: number | false, K?: number, CX?: number);
    push(value: number | number[], count?: number): void;
    percentile(p: number): number | undefined;
    compress(): void;
    reset(): void;
    size(): number;
  }
}
