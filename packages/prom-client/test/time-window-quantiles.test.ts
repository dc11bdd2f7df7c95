import { seededRandom } from '@promkit/testkit';
import { TDigest } from 'tdigest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TimeWindowQuantiles } from '../src/time-window-quantiles';

/**
 * The window as prom-client's API describes it and this package kept it before digests
 * were shared: one digest per age bucket, each taking every value, the oldest replaced by a
 * fresh one every `maxAgeSeconds / ageBuckets`.
 */
class DigestPerBucket {
  private readonly ring: TDigest[];
  private current = 0;
  private lastRotation = Date.now();
  private readonly rotationMs: number;

  constructor(maxAgeSeconds: number, ageBuckets: number) {
    this.ring = Array.from({ length: ageBuckets }, () => new TDigest());
    this.rotationMs = (maxAgeSeconds * 1000) / ageBuckets;
  }

  push(value: number): void {
    this.rotate();
    for (const digest of this.ring) digest.push(value);
  }

  percentile(q: number): number | undefined {
    return this.rotate().percentile(q);
  }

  size(): number {
    return this.rotate().size();
  }

  private rotate(): TDigest {
    let since = Date.now() - this.lastRotation;
    while (since > this.rotationMs) {
      this.ring[this.current] = new TDigest();
      this.current = (this.current + 1) % this.ring.length;
      since -= this.rotationMs;
      this.lastRotation += this.rotationMs;
    }
    return this.ring[this.current]!;
  }
}

describe('TimeWindowQuantiles with age buckets sharing digests', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  // Under 2 500 values per digest, a t-digest never compresses (which would shuffle with
  // Math.random), so both give exact, repeatable answers.
  it('answers exactly what one digest per age bucket answers, through rotations and idle spells', () => {
    for (const ageBuckets of [1, 2, 5]) {
      for (let seed = 1; seed <= 10; seed++) {
        const next = seededRandom(seed * 17 + ageBuckets);
        const shared = new TimeWindowQuantiles(60, ageBuckets);
        const reference = new DigestPerBucket(60, ageBuckets);
        for (let step = 0; step < 200; step++) {
          const roll = next();
          if (roll < 0.5) {
            const count = 1 + Math.floor(next() * 6);
            for (let i = 0; i < count; i++) {
              const value = Math.round(next() * 1000);
              shared.push(value);
              reference.push(value);
            }
          } else if (roll < 0.8) {
            vi.advanceTimersByTime(next() < 0.1 ? 120_000 : next() * (60_000 / ageBuckets) * 1.5);
          } else {
            const where = `ageBuckets ${ageBuckets}, seed ${seed}, step ${step}`;
            expect(shared.size(), where).toBe(reference.size());
            for (const q of [0.01, 0.5, 0.9, 0.99]) {
              expect(shared.percentile(q), where).toBe(reference.percentile(q));
            }
          }
        }
      }
    }
  });

  it('forgets values in a digest it had shared once its bucket expires', () => {
    const window = new TimeWindowQuantiles(10, 5);
    for (let i = 0; i < 20; i++) window.push(1000);
    vi.advanceTimersByTime(4_500);
    for (let i = 0; i < 20; i++) window.push(1);
    expect(window.percentile(0.99)).toBe(1000);
    vi.advanceTimersByTime(6_000);
    expect([window.percentile(0.01), window.percentile(0.99)]).toEqual([1, 1]);
    window.reset();
    expect(window.size()).toBe(0);
    window.push(5);
    expect(window.percentile(0.5)).toBe(5);
  });
});
