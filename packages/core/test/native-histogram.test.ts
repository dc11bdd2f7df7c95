import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidValueError } from '../src/errors';
import {
  NativeBuckets,
  nativeBucketIndex,
  nativeBucketUpperBound,
  resolveNativeHistogramOptions,
} from '../src/metrics/native-histogram';
import type { NativeHistogramValue } from '../src/model';

/** The next larger / smaller double. */
function nextUp(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}
function nextDown(x: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

/** Expands spans + deltas back to index → count. */
function bucketCounts(spans: NativeHistogramValue['positiveSpans'], deltas: readonly number[]) {
  const counts = new Map<number, number>();
  let index = 0;
  let d = 0;
  let count = 0;
  for (const span of spans) {
    index += span.offset;
    for (let j = 0; j < span.length; j++) {
      count += deltas[d++]!;
      if (count !== 0) counts.set(index, count);
      index++;
    }
  }
  expect(d).toBe(deltas.length);
  return counts;
}

function buckets(opts: { schema?: number; maxBuckets?: number; zeroThreshold?: number } = {}) {
  return new NativeBuckets(resolveNativeHistogramOptions('test_metric', opts));
}

describe('nativeBucketIndex', () => {
  it('schema 0: one bucket per power of two, (2^(i-1), 2^i]', () => {
    expect(nativeBucketIndex(1, 0)).toBe(0);
    expect(nativeBucketIndex(nextDown(1), 0)).toBe(0);
    expect(nativeBucketIndex(nextUp(1), 0)).toBe(1);
    expect(nativeBucketIndex(nextUp(0.5), 0)).toBe(0);
    expect(nativeBucketIndex(0.5, 0)).toBe(-1);
    expect(nativeBucketIndex(1.5, 0)).toBe(1);
    expect(nativeBucketIndex(2, 0)).toBe(1);
    expect(nativeBucketIndex(3, 0)).toBe(2);
    expect(nativeBucketIndex(4, 0)).toBe(2);
    expect(nativeBucketIndex(nextUp(4), 0)).toBe(3);
    expect(nativeBucketIndex(1024, 0)).toBe(10);
    expect(nativeBucketIndex(0.001, 0)).toBe(-9); // 2^-10 < 0.001 ≤ 2^-9
  });

  it('schema 3: eight buckets per power of two', () => {
    expect(nativeBucketIndex(1, 3)).toBe(0);
    expect(nativeBucketIndex(nextUp(1), 3)).toBe(1);
    expect(nativeBucketIndex(2, 3)).toBe(8);
    expect(nativeBucketIndex(nextUp(2), 3)).toBe(9);
    expect(nativeBucketIndex(nextDown(2), 3)).toBe(8);
    expect(nativeBucketIndex(0.5, 3)).toBe(-8);
    // 2^(1/8) = 1.0905 < 1.1 ≤ 2^(2/8) = 1.1892
    expect(nativeBucketIndex(1.1, 3)).toBe(2);
    // log2(3) · 8 = 12.68
    expect(nativeBucketIndex(3, 3)).toBe(13);
    // log2(1000) · 8 = 79.73
    expect(nativeBucketIndex(1000, 3)).toBe(80);
    // log2(0.3) · 8 = -13.9
    expect(nativeBucketIndex(0.3, 3)).toBe(-13);
  });

  it('schema 3: a bucket boundary belongs to the bucket it closes', () => {
    for (let i = -20; i <= 20; i++) {
      const bound = nativeBucketUpperBound(i, 3);
      expect(nativeBucketIndex(bound, 3)).toBe(i);
      expect(nativeBucketIndex(nextUp(bound), 3)).toBe(i + 1);
    }
  });

  it('schema 8: 256 buckets per power of two', () => {
    expect(nativeBucketIndex(1, 8)).toBe(0);
    expect(nativeBucketIndex(nextUp(1), 8)).toBe(1);
    expect(nativeBucketIndex(2, 8)).toBe(256);
    expect(nativeBucketIndex(nextUp(2), 8)).toBe(257);
    expect(nativeBucketIndex(0.5, 8)).toBe(-256);
    // log2(1.5) · 256 = 149.75, log2(3) · 256 = 405.75
    expect(nativeBucketIndex(1.5, 8)).toBe(150);
    expect(nativeBucketIndex(3, 8)).toBe(406);
    for (const i of [-300, -1, 1, 127, 128, 255, 511]) {
      const bound = nativeBucketUpperBound(i, 8);
      expect(nativeBucketIndex(bound, 8)).toBe(i);
      expect(nativeBucketIndex(nextUp(bound), 8)).toBe(i + 1);
    }
  });

  it('schema -4: one bucket per 16 powers of two', () => {
    expect(nativeBucketIndex(1, -4)).toBe(0);
    expect(nativeBucketIndex(nextUp(1), -4)).toBe(1);
    expect(nativeBucketIndex(2, -4)).toBe(1);
    expect(nativeBucketIndex(65536, -4)).toBe(1);
    expect(nativeBucketIndex(65537, -4)).toBe(2);
    expect(nativeBucketIndex(0.5, -4)).toBe(0);
    expect(nativeBucketIndex(2 ** -16, -4)).toBe(-1);
    expect(nativeBucketIndex(nextUp(2 ** -16), -4)).toBe(0);
    expect(nativeBucketIndex(2 ** -17, -4)).toBe(-1);
    expect(nativeBucketIndex(2 ** -32, -4)).toBe(-2);
    expect(nativeBucketIndex(nextUp(2 ** -32), -4)).toBe(-1);
  });

  it('negative schemas round small values up (ceil), not towards zero', () => {
    // 2^-4 is bucket -4 at schema 0; at schema -1 (base 4) it closes bucket -2: (4^-3, 4^-2].
    expect(nativeBucketIndex(2 ** -4, -1)).toBe(-2);
    expect(nativeBucketIndex(2 ** -3, -1)).toBe(-1);
    expect(nativeBucketIndex(2 ** -5, -1)).toBe(-2);
  });

  it('ignores the sign, handles subnormals and the extremes', () => {
    expect(nativeBucketIndex(-3, 3)).toBe(13);
    expect(nativeBucketIndex(Number.MIN_VALUE, 0)).toBe(-1074);
    expect(nativeBucketIndex(Number.MAX_VALUE, 0)).toBe(1024);
    expect(nativeBucketIndex(Number.POSITIVE_INFINITY, 0)).toBe(1025);
    expect(nativeBucketIndex(Number.NEGATIVE_INFINITY, 0)).toBe(1025);
    expect(nativeBucketIndex(Number.MAX_VALUE, 3)).toBe(8192);
    expect(nativeBucketIndex(Number.POSITIVE_INFINITY, 3)).toBe(8193);
    expect(nativeBucketUpperBound(8192, 3)).toBe(Number.MAX_VALUE);
    expect(nativeBucketUpperBound(8193, 3)).toBe(Number.POSITIVE_INFINITY);
    expect(nativeBucketUpperBound(64, -4)).toBe(Number.MAX_VALUE);
  });

  it('property: agrees with the definition, bucket i = (upper(i-1), upper(i)]', () => {
    /** The index by definition: walk from a log2 estimate to the bucket whose bounds hold v. */
    const byDefinition = (v: number, schema: number): number => {
      let i = Math.ceil(Math.log2(v) * 2 ** schema) + 0; // + 0 turns -0 into 0
      while (v > nativeBucketUpperBound(i, schema)) i++;
      while (v <= nativeBucketUpperBound(i - 1, schema)) i--;
      return i;
    };
    const normal = fc.double({ min: 2 ** -1000, max: 2 ** 1000, noNaN: true });
    // Every bound of a coarser schema is also one of schema 8.
    const nearBound = fc
      .tuple(fc.integer({ min: -900 * 256, max: 900 * 256 }), fc.integer({ min: -1, max: 1 }))
      .map(([i, step]) => {
        const bound = nativeBucketUpperBound(i, 8);
        return step < 0 ? nextDown(bound) : step > 0 ? nextUp(bound) : bound;
      });
    fc.assert(
      fc.property(fc.oneof(normal, nearBound), fc.integer({ min: -4, max: 8 }), (v, schema) => {
        expect(nativeBucketIndex(v, schema)).toBe(byDefinition(v, schema));
      }),
      { numRuns: 20_000 },
    );
  });

  it('rejects zero, NaN and bad schemas', () => {
    expect(() => nativeBucketIndex(0, 3)).toThrow(InvalidValueError);
    expect(() => nativeBucketIndex(Number.NaN, 3)).toThrow(InvalidValueError);
    expect(() => nativeBucketIndex(1, 9)).toThrow(ConfigError);
    expect(() => nativeBucketIndex(1, -5)).toThrow(ConfigError);
  });

  it('generates the bucket bounds of client_golang bit for bit', () => {
    // client_golang's nativeHistogramBounds[3] and some entries of [8].
    const schema3 = [
      0.5, 0.5452538663326288, 0.5946035575013605, 0.6484197773255048, 0.7071067811865475,
      0.7711054127039704, 0.8408964152537144, 0.9170040432046711,
    ];
    schema3.forEach((frac, i) => {
      expect(nativeBucketUpperBound(i - 8, 3)).toBe(frac);
    });
    const schema8: Record<number, number> = {
      1: 0.5013556375251013,
      7: 0.509566998038869,
      72: 0.6076236799902344,
      127: 0.7051948041086352,
      131: 0.7128738720527471,
      253: 0.9919100824251095,
      255: 0.9972960560854698,
    };
    for (const [i, frac] of Object.entries(schema8)) {
      expect(nativeBucketUpperBound(Number(i) - 256, 8)).toBe(frac);
    }
    // Every bound of schema s is a bound of schema s+1, so halving is exact.
    for (let s = 0; s < 8; s++) {
      for (let i = -(1 << s); i < 1 << s; i++) {
        expect(nativeBucketUpperBound(2 * i, s + 1)).toBe(nativeBucketUpperBound(i, s));
      }
    }
  });
});

describe('resolveNativeHistogramOptions', () => {
  it('fills in the defaults', () => {
    expect(resolveNativeHistogramOptions('m', true)).toEqual({
      schema: 3,
      maxBuckets: 160,
      zeroThreshold: 2 ** -128,
    });
    expect(
      resolveNativeHistogramOptions('m', { schema: -4, maxBuckets: 0, zeroThreshold: 0 }),
    ).toEqual({ schema: -4, maxBuckets: 0, zeroThreshold: 0 });
  });

  it.each([
    [{ schema: 9 }, '9'],
    [{ schema: -5 }, '-5'],
    [{ schema: 2.5 }, '2.5'],
    [{ maxBuckets: -1 }, '-1'],
    [{ maxBuckets: 1.5 }, '1.5'],
    [{ zeroThreshold: -1 }, '-1'],
    [{ zeroThreshold: Number.NaN }, 'NaN'],
    [{ zeroThreshold: Number.POSITIVE_INFINITY }, 'Infinity'],
  ])('rejects %o naming the metric and the value', (opts, shown) => {
    expect(() => resolveNativeHistogramOptions('request_seconds', opts)).toThrow(ConfigError);
    expect(() => resolveNativeHistogramOptions('request_seconds', opts)).toThrow(
      new RegExp(`"request_seconds".*got ${shown}$`),
    );
  });
});

describe('NativeBuckets', () => {
  it('encodes spans and deltas with small gaps filled and large gaps split', () => {
    const b = buckets({ schema: 0 });
    for (const v of [1, 2, 2, 16, 1024]) b.observe(v);
    const snap = b.snapshot();
    // Buckets 0:1, 1:2, (2:0, 3:0 inside the span), 4:1, then a gap of 5 to bucket 10:1.
    expect(snap.positiveSpans).toEqual([
      { offset: 0, length: 5 },
      { offset: 5, length: 1 },
    ]);
    expect(snap.positiveDeltas).toEqual([1, 1, -2, 0, 1, 0]);
    expect(snap.negativeSpans).toEqual([]);
    expect(snap.negativeDeltas).toEqual([]);
    expect(snap.zeroCount).toBe(0);
    expect(snap.schema).toBe(0);
  });

  it('keeps negative observations in the negative buckets', () => {
    const b = buckets({ schema: 0 });
    for (const v of [-2, -2, -0.5]) b.observe(v);
    const snap = b.snapshot();
    expect(snap.negativeSpans).toEqual([{ offset: -1, length: 3 }]);
    expect(snap.negativeDeltas).toEqual([1, -1, 2]);
    expect(snap.positiveSpans).toEqual([]);
  });

  it('a sign gets its first bucket late, and many: storage made on the way', () => {
    const b = buckets({ schema: 0 });
    b.observe(2);
    expect(b.snapshot().negativeSpans).toEqual([]);
    // 40 negative buckets: past the first array's 16 slots.
    for (let e = 1; e <= 40; e++) b.observe(-(2 ** e));
    const snap = b.snapshot();
    expect(snap.negativeSpans).toEqual([{ offset: 1, length: 40 }]);
    expect(snap.negativeDeltas).toEqual([1, ...Array(39).fill(0)]);
    expect(snap.positiveDeltas).toEqual([1]);
  });

  it('counts |v| ≤ zeroThreshold in the zero bucket and ignores NaN', () => {
    const b = buckets({ schema: 3, zeroThreshold: 0.001 });
    for (const v of [0.0005, -0.001, 0, -0, 0.001, Number.NaN]) b.observe(v);
    expect(b.snapshot().zeroCount).toBe(5);
    b.observe(0.0011);
    b.observe(-0.0011);
    const snap = b.snapshot();
    expect(snap.zeroCount).toBe(5);
    expect(snap.zeroThreshold).toBe(0.001);
    expect(bucketCounts(snap.positiveSpans, snap.positiveDeltas)).toEqual(
      new Map([[nativeBucketIndex(0.0011, 3), 1]]),
    );
    expect(bucketCounts(snap.negativeSpans, snap.negativeDeltas)).toEqual(
      new Map([[nativeBucketIndex(0.0011, 3), 1]]),
    );
  });

  it('puts ±Inf after the bucket of the largest float', () => {
    const b = buckets({ schema: 0 });
    b.observe(Number.POSITIVE_INFINITY);
    b.observe(Number.NEGATIVE_INFINITY);
    b.observe(Number.MAX_VALUE);
    const snap = b.snapshot();
    expect(bucketCounts(snap.positiveSpans, snap.positiveDeltas)).toEqual(
      new Map([
        [1024, 1],
        [1025, 1],
      ]),
    );
    expect(bucketCounts(snap.negativeSpans, snap.negativeDeltas)).toEqual(new Map([[1025, 1]]));
  });

  it('halves the resolution when more than maxBuckets are populated', () => {
    const b = buckets({ schema: 3, maxBuckets: 4 });
    for (const v of [1, 2, 4, 8]) b.observe(v); // indices 0, 8, 16, 24
    expect(b.schema).toBe(3);
    b.observe(16); // a fifth bucket: merged until ≤ 4 remain
    expect(b.schema).toBeLessThan(3);
    const snap = b.snapshot();
    const counts = bucketCounts(snap.positiveSpans, snap.positiveDeltas);
    expect(counts.size).toBeLessThanOrEqual(4);
    expect([...counts.values()].reduce((a, c) => a + c, 0)).toBe(5);
    // The same values observed at the reduced schema directly give the same buckets.
    const direct = buckets({ schema: b.schema, maxBuckets: 0 });
    for (const v of [1, 2, 4, 8, 16]) direct.observe(v);
    expect(direct.snapshot()).toEqual(snap);
  });

  it('stops reducing at schema -4', () => {
    const b = buckets({ schema: -3, maxBuckets: 1 });
    b.observe(1);
    b.observe(1e300);
    b.observe(1e-300);
    expect(b.schema).toBe(-4);
    const snap = b.snapshot();
    expect(snap.positiveDeltas.length).toBeGreaterThan(1);
  });

  it('reset() empties the buckets and restores the configured schema', () => {
    const b = buckets({ schema: 2, maxBuckets: 2 });
    for (const v of [1, 10, 100, 1000, -5, 0]) b.observe(v);
    expect(b.schema).toBeLessThan(2);
    b.reset();
    expect(b.schema).toBe(2);
    expect(b.snapshot()).toEqual({
      schema: 2,
      zeroThreshold: 2 ** -128,
      zeroCount: 0,
      positiveSpans: [],
      positiveDeltas: [],
      negativeSpans: [],
      negativeDeltas: [],
    });
  });

  it('snapshot() returns a fresh object each time', () => {
    const b = buckets();
    b.observe(1);
    const first = b.snapshot();
    b.observe(1);
    const second = b.snapshot();
    expect(first.positiveDeltas).toEqual([1]);
    expect(second.positiveDeltas).toEqual([2]);
    expect(first).not.toBe(second);
  });

  const observation = fc.oneof(
    fc.double({ noNaN: true }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true }),
    fc.double({ min: -1e-3, max: 1e-3, noNaN: true }),
    fc.constantFrom(0, -0, 1, 2, 0.5, Number.NaN, Number.MIN_VALUE, Number.MAX_VALUE),
  );

  it('property: decoded counts add up and each bucket contains its values', () => {
    fc.assert(
      fc.property(
        fc.array(observation, { maxLength: 300 }),
        fc.integer({ min: -4, max: 8 }),
        fc.constantFrom(0, 1, 5, 20, 160),
        fc.constantFrom(0, 2 ** -128, 1e-3),
        (values, schema, maxBuckets, zeroThreshold) => {
          const b = buckets({ schema, maxBuckets, zeroThreshold });
          for (const v of values) b.observe(v);
          const snap = b.snapshot();
          const positive = bucketCounts(snap.positiveSpans, snap.positiveDeltas);
          const negative = bucketCounts(snap.negativeSpans, snap.negativeDeltas);
          let total = snap.zeroCount;
          for (const c of positive.values()) total += c;
          for (const c of negative.values()) total += c;
          expect(total).toBe(values.filter((v) => !Number.isNaN(v)).length);
          for (const v of values) {
            if (Number.isNaN(v) || Math.abs(v) <= zeroThreshold) continue;
            const index = nativeBucketIndex(v, snap.schema);
            expect((v > 0 ? positive : negative).get(index)).toBeGreaterThan(0);
            // Bucket bounds in the subnormal range are not representable as doubles.
            if (Math.abs(v) < 2 ** -1000) continue;
            const lower = nativeBucketUpperBound(index - 1, snap.schema);
            const upper = nativeBucketUpperBound(index, snap.schema);
            expect(Math.abs(v)).toBeGreaterThan(lower);
            expect(Math.abs(v)).toBeLessThanOrEqual(upper);
          }
          if (maxBuckets !== 0 && snap.schema > -4) {
            expect(positive.size + negative.size).toBeLessThanOrEqual(maxBuckets);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: reducing resolution equals observing at the lower schema directly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { maxLength: 200 }),
        fc.integer({ min: -3, max: 8 }),
        fc.integer({ min: 1, max: 30 }),
        (values, schema, maxBuckets) => {
          const reduced = buckets({ schema, maxBuckets });
          for (const v of values) reduced.observe(v);
          const direct = buckets({ schema: reduced.schema, maxBuckets: 0 });
          for (const v of values) direct.observe(v);
          expect(reduced.snapshot()).toEqual(direct.snapshot());
        },
      ),
      { numRuns: 200 },
    );
  });
});
