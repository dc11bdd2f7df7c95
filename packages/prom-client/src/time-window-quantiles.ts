import { TDigest } from 'tdigest';

/**
 * Quantiles over a sliding window, as prom-client computes them: `ageBuckets` t-digests
 * each receive every value; reads come from the oldest one, and every
 * `maxAgeSeconds / ageBuckets` it is replaced by a fresh digest. Without a window one
 * digest holds everything. The t-digest (the `tdigest` package, as in prom-client) gives
 * the same quantile values as prom-client, interpolation included.
 *
 * Age buckets holding the same values share one digest (all of them until the first
 * rotation; one replaced while the newest is still empty takes the newest), which takes
 * each value once: a series younger than its window keeps one digest (~1.5 KB), not one
 * per age bucket. A shared digest is never cleared in place, only replaced, so every
 * bucket reads exactly what a digest of its own would hold.
 */
export class TimeWindowQuantiles {
  private readonly ring: TDigest[];
  private current = 0;
  private lastRotation: number;
  private readonly rotationMs: number;

  constructor(maxAgeSeconds: number | undefined, ageBuckets: number | undefined) {
    const windowed = Boolean(maxAgeSeconds && ageBuckets);
    const slots = windowed ? (ageBuckets as number) : 1;
    this.ring = new Array<TDigest>(slots).fill(new TDigest());
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
    const ring = this.ring;
    for (let i = 0; i < ring.length; i++) {
      if (!heldBefore(ring, i)) ring[i]!.push(value);
    }
  }

  reset(): void {
    // Every bucket empty: one digest for all again.
    this.ring.fill(new TDigest());
  }

  compress(): void {
    const ring = this.ring;
    // Once per digest: a compress re-inserts its centroids in a random order.
    for (let i = 0; i < ring.length; i++) {
      if (!heldBefore(ring, i)) ring[i]!.compress();
    }
  }

  private rotate(): TDigest {
    if (this.rotationMs !== Number.POSITIVE_INFINITY) {
      let since = Date.now() - this.lastRotation;
      while (since > this.rotationMs) {
        const ring = this.ring;
        const newest = ring[(this.current + ring.length - 1) % ring.length]!;
        ring[this.current] =
          newest !== ring[this.current] && newest.size() === 0 ? newest : new TDigest();
        this.current = (this.current + 1) % this.ring.length;
        since -= this.rotationMs;
        this.lastRotation += this.rotationMs;
      }
    }
    return this.ring[this.current]!;
  }
}

/** Whether the digest in `ring[index]` is also in an earlier slot. */
function heldBefore(ring: readonly TDigest[], index: number): boolean {
  const digest = ring[index];
  for (let i = 0; i < index; i++) if (ring[i] === digest) return true;
  return false;
}
