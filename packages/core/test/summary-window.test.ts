import { seededRandom } from '@promkit/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CkmsStream, type Invariant } from '../src/metrics/ckms';
import { DEFAULT_INVARIANTS, Summary } from '../src/metrics/summary';

/**
 * The sliding window as it was before streams were shared: one stream per age bucket, each
 * taking every batch, the head cleared in place when it expires. Batches are formed as a
 * series forms them: at a read, or when 512 observations are waiting.
 */
class SeparateStreams {
  private readonly streams: CkmsStream[];
  private head = 0;
  private headExpires: number;
  private waiting: number[] = [];

  constructor(
    private readonly invariants: readonly Invariant[],
    private readonly rotateSeconds: number,
    count: number,
  ) {
    this.streams = Array.from({ length: count }, () => new CkmsStream(invariants));
    this.headExpires = performance.now() / 1000 + rotateSeconds;
  }

  observe(value: number): void {
    this.waiting.push(value);
    if (this.waiting.length === 512) this.flush();
  }

  quantiles(): number[] {
    this.flush();
    return this.invariants.map(([q]) => this.streams[this.head]!.query(q));
  }

  private flush(): void {
    const now = performance.now() / 1000;
    let steps = 0;
    while (now > this.headExpires && steps < this.streams.length) {
      this.streams[this.head]!.reset();
      this.head = (this.head + 1) % this.streams.length;
      this.headExpires += this.rotateSeconds;
      steps++;
    }
    if (now > this.headExpires) this.headExpires = now + this.rotateSeconds;
    if (this.waiting.length === 0) return;
    const sorted = Float64Array.from(this.waiting).sort();
    for (const stream of this.streams) stream.insertSorted(sorted, sorted.length);
    this.waiting = [];
  }
}

describe('a sliding-window summary whose age buckets share streams', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives exactly the quantiles of one stream per age bucket, through rotations, idle spells and bursts', () => {
    for (const ageBuckets of [1, 2, 3, 5]) {
      for (let seed = 1; seed <= 12; seed++) {
        const next = seededRandom(seed * 31 + ageBuckets);
        const maxAgeSeconds = 60;
        const summary = new Summary('window', 'W.', { registry: null, maxAgeSeconds, ageBuckets });
        const series = summary.labels();
        const sorted = [...DEFAULT_INVARIANTS].sort((a, b) => a[0] - b[0]);
        const reference = new SeparateStreams(sorted, maxAgeSeconds / ageBuckets, ageBuckets);
        for (let step = 0; step < 300; step++) {
          const roll = next();
          if (roll < 0.55) {
            // A few observations, or a burst past the 512 that forces a merge.
            const count =
              next() < 0.05 ? 600 + Math.floor(next() * 900) : 1 + Math.floor(next() * 8);
            const level = next() * 1000;
            for (let i = 0; i < count; i++) {
              const value = level + next() * 100;
              series.observe(value);
              reference.observe(value);
            }
          } else if (roll < 0.85) {
            // Time passes: within a bucket, past one, or past the whole window (idle).
            const span =
              next() < 0.1 ? maxAgeSeconds * 2 : next() * (maxAgeSeconds / ageBuckets) * 1.5;
            vi.advanceTimersByTime(span * 1000);
          } else {
            const got = series.quantiles().map((q) => q.value);
            expect(got, `ageBuckets ${ageBuckets}, seed ${seed}, step ${step}`).toEqual(
              reference.quantiles(),
            );
          }
        }
        expect(series.quantiles().map((q) => q.value)).toEqual(reference.quantiles());
      }
    }
  });

  it('forgets what left the window in a stream it had shared', () => {
    const summary = new Summary('window', 'W.', {
      registry: null,
      maxAgeSeconds: 10,
      ageBuckets: 5,
    });
    for (let i = 0; i < 50; i++) summary.observe(1000);
    // Merged into the one stream all five buckets share.
    expect(summary.get()!.quantiles.map((q) => q.value)).toEqual([1000, 1000, 1000]);
    vi.advanceTimersByTime(4_500);
    for (let i = 0; i < 50; i++) summary.observe(1);
    // Two buckets have rotated: the head still holds both levels.
    expect(summary.get()!.quantiles.map((q) => q.value)).toEqual([1, 1000, 1000]);
    vi.advanceTimersByTime(6_000);
    // The 1000s are older than the window now; the 1s are not.
    expect(summary.get()!.quantiles.map((q) => q.value)).toEqual([1, 1, 1]);
    vi.advanceTimersByTime(11_000);
    expect(summary.get()!.quantiles.every((q) => Number.isNaN(q.value))).toBe(true);
    expect(summary.get()!.count).toBe(100);
  });
});
