import type { BucketSpan, NativeHistogramValue } from '@promkit/core';

/** Absolute bucket index → count, decoded from spans and deltas. */
function decodeBuckets(
  spans: readonly BucketSpan[],
  deltas: readonly number[],
): Map<number, number> {
  const buckets = new Map<number, number>();
  let index = 0;
  let d = 0;
  let count = 0;
  for (let s = 0; s < spans.length; s++) {
    const span = spans[s]!;
    index += span.offset;
    for (let j = 0; j < span.length; j++) {
      count += deltas[d++] ?? 0;
      buckets.set(index, count);
      index++;
    }
  }
  return buckets;
}

/** Gaps of up to this many empty buckets are spelled as zero deltas rather than a new span. */
const MAX_FILLED_GAP = 2;

function encodeBuckets(buckets: ReadonlyMap<number, number>): {
  spans: BucketSpan[];
  deltas: number[];
} {
  const indices = [...buckets.keys()].filter((i) => buckets.get(i)! !== 0).sort((a, b) => a - b);
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  let previousCount = 0;
  let nextIndex = 0;
  for (let k = 0; k < indices.length; k++) {
    const index = indices[k]!;
    const gap = index - nextIndex;
    if (k === 0 || gap > MAX_FILLED_GAP) {
      spans.push({ offset: k === 0 ? index : gap, length: 1 });
    } else {
      const last = spans[spans.length - 1]!;
      for (let g = 0; g < gap; g++) {
        deltas.push(0 - previousCount);
        previousCount = 0;
      }
      spans[spans.length - 1] = { offset: last.offset, length: last.length + gap + 1 };
    }
    const count = buckets.get(index)!;
    deltas.push(count - previousCount);
    previousCount = count;
    nextIndex = index + 1;
  }
  return { spans, deltas };
}

/** Moves buckets to a coarser schema: 2^(from-to) neighbours become one. */
function downscale(buckets: Map<number, number>, from: number, to: number): Map<number, number> {
  if (from === to) return buckets;
  const shift = from - to;
  const out = new Map<number, number>();
  for (const [index, count] of buckets) {
    const target = ((index - 1) >> shift) + 1;
    out.set(target, (out.get(target) ?? 0) + count);
  }
  return out;
}

/** Adds buckets whose upper bound is within the zero threshold to `zero`; returns the rest. */
function foldIntoZero(
  buckets: Map<number, number>,
  schema: number,
  threshold: number,
  zero: { count: number },
): Map<number, number> {
  if (threshold <= 0) return buckets;
  const out = new Map<number, number>();
  for (const [index, count] of buckets) {
    const upper = 2 ** (index * 2 ** -schema);
    if (upper <= threshold) zero.count += count;
    else out.set(index, count);
  }
  return out;
}

function add(into: Map<number, number>, from: ReadonlyMap<number, number>): void {
  for (const [index, count] of from) into.set(index, (into.get(index) ?? 0) + count);
}

/**
 * Sums native histograms bucket by bucket. Histograms of different resolution meet at
 * the coarsest schema; with different zero thresholds the widest one is kept and
 * buckets inside it are counted as zero observations.
 */
export function mergeNative(values: readonly NativeHistogramValue[]): NativeHistogramValue {
  const schema = Math.min(...values.map((v) => v.schema));
  const zeroThreshold = Math.max(...values.map((v) => v.zeroThreshold));
  const zero = { count: 0 };
  const positive = new Map<number, number>();
  const negative = new Map<number, number>();
  for (const value of values) {
    zero.count += value.zeroCount;
    const pos = downscale(
      decodeBuckets(value.positiveSpans, value.positiveDeltas),
      value.schema,
      schema,
    );
    const neg = downscale(
      decodeBuckets(value.negativeSpans, value.negativeDeltas),
      value.schema,
      schema,
    );
    const widen = value.zeroThreshold < zeroThreshold;
    add(positive, widen ? foldIntoZero(pos, schema, zeroThreshold, zero) : pos);
    add(negative, widen ? foldIntoZero(neg, schema, zeroThreshold, zero) : neg);
  }
  const pos = encodeBuckets(positive);
  const neg = encodeBuckets(negative);
  return {
    schema,
    zeroThreshold,
    zeroCount: zero.count,
    positiveSpans: pos.spans,
    positiveDeltas: pos.deltas,
    negativeSpans: neg.spans,
    negativeDeltas: neg.deltas,
  };
}
