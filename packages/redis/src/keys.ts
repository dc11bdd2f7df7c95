/**
 * Every key the store uses, under one prefix. Keys are only ever built by concatenation
 * and never parsed, so metric names and process ids containing `:` are safe.
 */
export class StoreKeys {
  /** Hash: metric name → JSON metadata (type, help, unit, label names, buckets, mode). */
  readonly meta: string;
  /** Hash: metric name → the definition every process must agree on. */
  readonly shape: string;
  /** Sorted set: process id → Redis time (ms) of its last heartbeat. */
  readonly processes: string;

  constructor(readonly prefix: string) {
    this.meta = `${prefix}:meta`;
    this.shape = `${prefix}:shape`;
    this.processes = `${prefix}:procs`;
  }

  /** Hash of a counter, histogram or summary: `<part>[labels]` → value summed over processes. */
  metric(name: string): string {
    return `${this.prefix}:m:${name}`;
  }

  /** Hash of one process's gauges, infos and state sets: `<name>[labels]` → `value@ms`. */
  process(processId: string): string {
    return `${this.prefix}:g:${processId}`;
  }

  /** String: the last batch sequence number applied for one registry session (dedup). */
  sequence(session: string): string {
    return `${this.prefix}:seq:${session}`;
  }

  /** The `MATCH` pattern of every key under the prefix, glob characters escaped. */
  pattern(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}:*`;
  }
}
