import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_INVARIANTS,
  InvalidValueError,
  ReservedLabelError,
  Summary,
} from '../src/index';
import { CkmsStream } from '../src/metrics/ckms';

/** Rank error of `estimate` for quantile q in sorted data: how far its rank is from q·n. */
function rankError(sorted: number[], estimate: number, q: number): number {
  let lo = 0;
  while (lo < sorted.length && sorted[lo]! < estimate) lo++;
  let hi = lo;
  while (hi < sorted.length && sorted[hi]! === estimate) hi++;
  const target = q * sorted.length;
  // Any rank the estimate occupies counts.
  if (target >= lo && target <= hi) return 0;
  return Math.min(Math.abs(lo - target), Math.abs(hi - target)) / sorted.length;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Summary', () => {
  it("uses aioprometheus' invariants and reports count and sum", () => {
    const s = new Summary('size_bytes', 'S.', { registry: null });
    for (let i = 1; i <= 100; i++) s.observe(i);
    const r = s.get()!;
    expect(r.count).toBe(100);
    expect(r.sum).toBe(5050);
    expect(r.quantiles.map((q) => q.quantile)).toEqual(DEFAULT_INVARIANTS.map(([q]) => q));
  });

  it('estimates quantiles within their rank error on large skewed streams', () => {
    const random = lcg(42);
    for (const n of [1_000, 100_000]) {
      const s = new Summary(`skewed_${n}`, 'S.', { registry: null });
      const data: number[] = [];
      for (let i = 0; i < n; i++) {
        const v = -Math.log(1 - random()) * 100; // exponential
        data.push(v);
        s.observe(v);
      }
      data.sort((a, b) => a - b);
      for (const { quantile, value } of s.get()!.quantiles) {
        const err = DEFAULT_INVARIANTS.find(([q]) => q === quantile)![1];
        expect(rankError(data, value, quantile)).toBeLessThanOrEqual(err);
      }
    }
  });

  it('holds its error bounds for arbitrary inputs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), {
          minLength: 1,
          maxLength: 3000,
        }),
        (values) => {
          const s = new Summary('prop', 'P.', {
            registry: null,
            invariants: [
              [0.5, 0.05],
              [0.9, 0.01],
              [0.99, 0.001],
            ],
          });
          for (const v of values) s.observe(v);
          const sorted = [...values].sort((a, b) => a - b);
          for (const { quantile, value } of s.get()!.quantiles) {
            const err = quantile === 0.5 ? 0.05 : quantile === 0.9 ? 0.01 : 0.001;
            // One rank of slack for tiny streams where q·n falls between two samples.
            if (rankError(sorted, value, quantile) > err + 1 / sorted.length) return false;
          }
          return true;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('keeps memory bounded: retained samples stay far below n', () => {
    const s = new Summary('bounded', 'B.', { registry: null });
    const child = s.labels();
    for (let i = 0; i < 200_000; i++) child.observe(i % 9973);
    child.quantiles();
    const stream = (child as unknown as { streams: Array<{ size: number }> }).streams[0]!;
    expect(stream.size).toBeLessThan(5_000);
  });

  it('merges in batches of 512 however its buffer grew: the quantiles of a stream fed so', () => {
    const s = new Summary('grown', 'G.', { registry: null });
    const child = s.labels();
    const reference = new CkmsStream(DEFAULT_INVARIANTS);
    const next = lcg(7);
    const values = Array.from({ length: 2_000 }, () => next() * 1000);
    values.forEach((v) => {
      child.observe(v);
    });
    for (let from = 0; from < values.length; from += 512) {
      const batch = Float64Array.from(values.slice(from, from + 512)).sort();
      reference.insertSorted(batch, batch.length);
    }
    expect(child.quantiles().map((q) => q.value)).toEqual(
      DEFAULT_INVARIANTS.map(([q]) => reference.query(q)),
    );
  });

  it('holds a small buffer for a series with few observations, and shares its targets', () => {
    const s = new Summary('small', 'S.', { registry: null, labelNames: ['k'] as const });
    const a = s.labels({ k: 'a' });
    const b = s.labels({ k: 'b' });
    for (let i = 0; i < 10; i++) a.observe(i);
    const inner = (c: unknown) =>
      c as { buffer: Float64Array; streams: Array<{ quantiles: Float64Array }> };
    expect(inner(a).buffer.length).toBe(16);
    for (let i = 0; i < 100; i++) a.observe(i);
    expect(inner(a).buffer.length).toBe(256);
    expect(inner(a).streams[0]!.quantiles).toBe(inner(b).streams[0]!.quantiles);
  });

  it('reports NaN quantiles before any observation', () => {
    const s = new Summary('empty', 'E.', { registry: null, labelNames: [] as const });
    expect(s.get()!.quantiles.every((q) => Number.isNaN(q.value))).toBe(true);
  });

  it('exposes only count and sum with invariants: []', () => {
    const s = new Summary('plain', 'P.', { registry: null, invariants: [] });
    s.observe(3);
    expect(s.get()).toEqual({ count: 1, sum: 3, quantiles: [] });
  });

  it('forgets old observations with a sliding window, keeping count and sum cumulative', async () => {
    const s = new Summary('window', 'W.', { registry: null, maxAgeSeconds: 0.4, ageBuckets: 2 });
    for (let i = 0; i < 100; i++) s.observe(1000);
    expect(s.get()!.quantiles[0]!.value).toBe(1000);
    await new Promise((r) => setTimeout(r, 500));
    for (let i = 0; i < 100; i++) s.observe(1);
    const r = s.get()!;
    expect(r.quantiles.every((q) => q.value === 1)).toBe(true);
    expect(r.count).toBe(200);
    expect(r.sum).toBe(100_100);
  });

  it('validates options and observations', () => {
    expect(() => new Summary('s1', 'x', { registry: null, invariants: [[1, 0.1]] })).toThrow(
      ConfigError,
    );
    expect(() => new Summary('s2', 'x', { registry: null, invariants: [[0.5, 0]] })).toThrow(
      /error for quantile 0.5/,
    );
    expect(() => new Summary('s3', 'x', { registry: null, maxAgeSeconds: -1 })).toThrow(
      ConfigError,
    );
    expect(
      () => new Summary('s4', 'x', { registry: null, maxAgeSeconds: 10, ageBuckets: 0 }),
    ).toThrow(ConfigError);
    expect(() => new Summary('s5', 'x', { registry: null, labelNames: ['quantile'] })).toThrow(
      ReservedLabelError,
    );
    const s = new Summary('s6', 'x', { registry: null });
    s.observe(1);
    expect(() => s.observe(Number.NaN)).toThrow(InvalidValueError);
    expect(s.get()).toMatchObject({ count: 1, sum: 1 });
  });
});
