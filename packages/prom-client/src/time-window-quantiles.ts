import { TDigest } from 'tdigest';

/**
 * Quantiles over a sliding window, as prom-client computes them: `ageBuckets` t-digests
 * each receive every value; reads come from the oldest one, and every
 * `maxAgeSeconds / ageBuckets` it is replaced by a fresh digest. Without a window one
 * digest holds everything. The t-digest (the `tdigest` package, as in prom-client) gives
 * the same quantile values as prom-client, interpolation included.
 */
export class TimeWindowQuantiles {
  private readonly ring: TDigest[];
  private current = 0;
  private lastRotation: number;
  private readonly rotationMs: number;

  constructor(maxAgeSeconds: number | undefined, ageBuckets: number | undefined) {
    const windowed = Boolean(maxAgeSeconds && ageBuckets);
    const slots = windowed ? (ageBuckets as number) : 1;
    this.ring = Array.from({ length: slots }, () => new TDigest());
    this.rotationMs = windowed
      ? ((maxAgeSeconds as number) * 1000) / (ageBuckets as number)
      : Number.POSITIVE_INFINITY;
    this.lastRotation = Date.now();
  }

  size(): number {
    return this.rotate().size();
  }

  percentile(quantile: number): number | undefined {
    return this.rotate().percentile(quantile);
  }

  push(value: number): void {
    this.rotate();
    for (const digest of this.ring) digest.push(value);
  }

  reset(): void {
    for (const digest of this.ring) digest.reset();
  }

  compress(): void {
    for (const digest of this.ring) digest.compress();
  }

  private rotate(): TDigest {
    if (this.rotationMs !== Number.POSITIVE_INFINITY) {
      let since = Date.now() - this.lastRotation;
      while (since > this.rotationMs) {
        this.ring[this.current] = new TDigest();
        this.current = (this.current + 1) % this.ring.length;
        since -= this.rotationMs;
        this.lastRotation += this.rotationMs;
      }
    }
    return this.ring[this.current]!;
  }
}
