import { ConfigError, InvalidValueError } from './errors';
import type { BucketSpan, NativeHistogramValue } from './model';

/** Options for the sparse exponential ("native") buckets of a histogram. */
export interface NativeHistogramOptions {
  /** Resolution, -4..8: bucket boundaries are powers of 2^(2^-schema). Default 3. */
  schema?: number;
  /**
   * Populated buckets (positive + negative) above which the resolution is halved.
   * Default 160; 0 means unlimited.
   */
  maxBuckets?: number;
  /** Observations with |v| ≤ this go to the zero bucket. Default 2^-128. */
  zeroThreshold?: number;
}

export interface ResolvedNativeHistogramOptions {
  readonly schema: number;
  readonly maxBuckets: number;
  readonly zeroThreshold: number;
}

export const NATIVE_SCHEMA_MIN = -4;
export const NATIVE_SCHEMA_MAX = 8;
const DEFAULT_SCHEMA = 3;
const DEFAULT_MAX_BUCKETS = 160;
/** 2^-128 is a bucket boundary at every schema, as client_golang's default. */
const DEFAULT_ZERO_THRESHOLD = 2 ** -128;

/**
 * Validates native histogram options and fills in the defaults; `true` means all
 * defaults.
 */
export function resolveNativeHistogramOptions(
  metric: string,
  opts: NativeHistogramOptions | true,
): ResolvedNativeHistogramOptions {
  const given: NativeHistogramOptions = opts === true ? {} : opts;
  const schema = given.schema ?? DEFAULT_SCHEMA;
  const maxBuckets = given.maxBuckets ?? DEFAULT_MAX_BUCKETS;
  const zeroThreshold = given.zeroThreshold ?? DEFAULT_ZERO_THRESHOLD;
  if (!Number.isInteger(schema) || schema < NATIVE_SCHEMA_MIN || schema > NATIVE_SCHEMA_MAX) {
    throw new ConfigError(
      `Histogram "${metric}": native schema must be an integer from ${NATIVE_SCHEMA_MIN} to ${NATIVE_SCHEMA_MAX}, got ${String(schema)}`,
    );
  }
  if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 0) {
    throw new ConfigError(
      `Histogram "${metric}": native maxBuckets must be a non-negative integer (0 = unlimited), got ${String(maxBuckets)}`,
    );
  }
  if (typeof zeroThreshold !== 'number' || !Number.isFinite(zeroThreshold) || zeroThreshold < 0) {
    throw new ConfigError(
      `Histogram "${metric}": native zeroThreshold must be a finite number ≥ 0, got ${String(zeroThreshold)}`,
    );
  }
  return { schema, maxBuckets, zeroThreshold };
}

/**
 * Go's math.Exp2 (the fdlibm algorithm). client_golang generated its table of
 * bucket bounds with it; using the same arithmetic reproduces that table bit for
 * bit, where Math.pow differs in the last place for many entries.
 */
function goExp2(x: number): number {
  const ln2Hi = 6.931471803691238e-1;
  const ln2Lo = 1.9082149292705877e-10;
  const p1 = 1.6666666666666666e-1;
  const p2 = -2.7777777777015593e-3;
  const p3 = 6.613756321437934e-5;
  const p4 = -1.6533902205465252e-6;
  const p5 = 4.1381367970572385e-8;
  const k = x > 0 ? Math.trunc(x + 0.5) : x < 0 ? Math.trunc(x - 0.5) : 0;
  const t = x - k;
  const hi = t * ln2Hi;
  const lo = -t * ln2Lo;
  const r = hi - lo;
  const rr = r * r;
  const c = r - rr * (p1 + rr * (p2 + rr * (p3 + rr * (p4 + rr * p5))));
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return y * 2 ** k;
}

/**
 * Upper bounds of the buckets within one power of two, as fractions in [0.5, 1)
 * (the mantissa range of frexp), indexed by schema 0..8. Even positions repeat the
 * previous schema's bounds, so a bucket of schema s-1 is exactly two of schema s.
 */
const FRACTION_BOUNDS: readonly Float64Array[] = (() => {
  const tables: Float64Array[] = [];
  for (let schema = 0; schema <= NATIVE_SCHEMA_MAX; schema++) {
    const size = 1 << schema;
    const bounds = new Float64Array(size);
    bounds[0] = 0.5;
    const factor = goExp2(goExp2(-schema));
    for (let j = 1; j < size; j++) {
      bounds[j] = j % 2 === 0 ? tables[schema - 1]![j / 2]! : bounds[j - 1]! * factor;
    }
    tables.push(bounds);
  }
  return tables;
})();

const frexpScratch = new Float64Array(1);
const frexpWords = new Uint32Array(frexpScratch.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const TWO_POW_64 = 2 ** 64;
let frexpExponent = 0;

/** math.Frexp for a finite v > 0: returns the fraction in [0.5, 1), sets `frexpExponent`. */
function frexp(v: number): number {
  let shift = 0;
  frexpScratch[0] = v;
  if ((frexpWords[HIGH_WORD]! & 0x7ff00000) === 0) {
    // Subnormal: scale into the normal range first.
    frexpScratch[0] = v * TWO_POW_64;
    shift = 64;
  }
  const high = frexpWords[HIGH_WORD]!;
  frexpExponent = ((high >>> 20) & 0x7ff) - 1022 - shift;
  frexpWords[HIGH_WORD] = (high & 0x800fffff) | 0x3fe00000;
  return frexpScratch[0]!;
}

/** Bucket index of a magnitude v > 0 (finite or +Inf), as client_golang computes it. */
function indexOfMagnitude(v: number, schema: number, bounds: Float64Array | undefined): number {
  let isInf = false;
  if (v === Number.POSITIVE_INFINITY) {
    // Pretend v is the largest float and take the bucket after it.
    v = Number.MAX_VALUE;
    isInf = true;
  }
  const frac = frexp(v);
  const exp = frexpExponent;
  let key: number;
  if (bounds !== undefined) {
    // First bound ≥ frac (sort.SearchFloat64s).
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[mid]! < frac) lo = mid + 1;
      else hi = mid;
    }
    key = lo + (exp - 1) * bounds.length;
  } else {
    // Schema ≤ 0: a bucket per power of two (an exact power belongs below), then
    // ceil(key / 2^-schema) to merge 2^-schema of them.
    key = frac === 0.5 ? exp - 1 : exp;
    key = (key + (1 << -schema) - 1) >> -schema;
  }
  return isInf ? key + 1 : key;
}

function boundsFor(schema: number): Float64Array | undefined {
  return schema > 0 ? FRACTION_BOUNDS[schema] : undefined;
}

/**
 * The index of the native bucket holding `value` at `schema`: bucket i covers
 * (base^(i-1), base^i] with base 2^(2^-schema). The sign is ignored (negative
 * values use the same index in the negative buckets); ±Inf gets the index after
 * the one of the largest float.
 */
export function nativeBucketIndex(value: number, schema: number): number {
  if (!Number.isInteger(schema) || schema < NATIVE_SCHEMA_MIN || schema > NATIVE_SCHEMA_MAX) {
    throw new ConfigError(
      `nativeBucketIndex: schema must be an integer from ${NATIVE_SCHEMA_MIN} to ${NATIVE_SCHEMA_MAX}, got ${String(schema)}`,
    );
  }
  if (value === 0 || Number.isNaN(value)) {
    throw new InvalidValueError(
      `nativeBucketIndex: ${String(value)} has no exponential bucket (zero goes to the zero bucket, NaN nowhere)`,
    );
  }
  return indexOfMagnitude(Math.abs(value), schema, boundsFor(schema));
}

/** Upper bound of bucket `index` at `schema` (the lower bound is that of `index - 1`). */
export function nativeBucketUpperBound(index: number, schema: number): number {
  if (schema <= 0) {
    const exp = index * 2 ** -schema;
    // The bucket below the ±Inf one ends at the largest float, as in client_golang.
    return exp === 1024 ? Number.MAX_VALUE : 2 ** exp;
  }
  const size = 1 << schema;
  const frac = FRACTION_BOUNDS[schema]![index & (size - 1)]!;
  const exp = (index >> schema) + 1;
  if (frac === 0.5 && exp === 1025) return Number.MAX_VALUE;
  return ldexp(frac, exp);
}

/** frac × 2^exp without overflowing or underflowing the intermediate power. */
function ldexp(frac: number, exp: number): number {
  if (exp > 1023) return frac * 2 ** 1023 * 2 ** (exp - 1023);
  if (exp < -1022) return frac * 2 ** -1022 * 2 ** (exp + 1022);
  return frac * 2 ** exp;
}

/**
 * The sparse exponential buckets of one histogram series: a zero bucket and
 * positive and negative buckets keyed by index, populated on demand. When more than
 * `maxBuckets` are populated, the resolution is halved (schema − 1, neighbouring
 * buckets merged) until they fit or the schema is −4.
 */
export class NativeBuckets {
  private readonly initialSchema: number;
  private readonly maxBuckets: number;
  private readonly zeroThreshold: number;
  private currentSchema: number;
  private bounds: Float64Array | undefined;
  private positive = new Map<number, number>();
  private negative = new Map<number, number>();
  private zeroCount = 0;

  constructor(opts: ResolvedNativeHistogramOptions) {
    this.initialSchema = opts.schema;
    this.maxBuckets = opts.maxBuckets;
    this.zeroThreshold = opts.zeroThreshold;
    this.currentSchema = opts.schema;
    this.bounds = boundsFor(opts.schema);
  }

  /** Current schema; lower than the configured one after resolution was reduced. */
  get schema(): number {
    return this.currentSchema;
  }

  /** Counts one observation. NaN is ignored here (the histogram counts it in count and sum). */
  observe(value: number): void {
    if (value > this.zeroThreshold) {
      this.increment(this.positive, indexOfMagnitude(value, this.currentSchema, this.bounds));
    } else if (value < -this.zeroThreshold) {
      this.increment(this.negative, indexOfMagnitude(-value, this.currentSchema, this.bounds));
    } else if (!Number.isNaN(value)) {
      this.zeroCount++;
    }
  }

  private increment(buckets: Map<number, number>, key: number): void {
    const count = buckets.get(key);
    if (count !== undefined) {
      buckets.set(key, count + 1);
      return;
    }
    buckets.set(key, 1);
    if (this.maxBuckets !== 0 && this.positive.size + this.negative.size > this.maxBuckets) {
      this.reduceResolution();
    }
  }

  private reduceResolution(): void {
    while (
      this.currentSchema > NATIVE_SCHEMA_MIN &&
      this.positive.size + this.negative.size > this.maxBuckets
    ) {
      this.currentSchema--;
      this.bounds = boundsFor(this.currentSchema);
      this.positive = mergePairs(this.positive);
      this.negative = mergePairs(this.negative);
    }
  }

  /** The buckets as spans and deltas; a fresh object each call. */
  snapshot(): NativeHistogramValue {
    const positive = spansAndDeltas(this.positive);
    const negative = spansAndDeltas(this.negative);
    return {
      schema: this.currentSchema,
      zeroThreshold: this.zeroThreshold,
      zeroCount: this.zeroCount,
      positiveSpans: positive.spans,
      positiveDeltas: positive.deltas,
      negativeSpans: negative.spans,
      negativeDeltas: negative.deltas,
    };
  }

  /** Empties every bucket and restores the configured schema. */
  reset(): void {
    this.positive.clear();
    this.negative.clear();
    this.zeroCount = 0;
    this.currentSchema = this.initialSchema;
    this.bounds = boundsFor(this.initialSchema);
  }
}

/** Buckets i of schema s merged into ceil(i/2) of schema s − 1. */
function mergePairs(buckets: Map<number, number>): Map<number, number> {
  const merged = new Map<number, number>();
  buckets.forEach((count, key) => {
    const wider = (key + 1) >> 1;
    merged.set(wider, (merged.get(wider) ?? 0) + count);
  });
  return merged;
}

/**
 * Spans and deltas as client_golang's makeBuckets writes them: gaps of one or two
 * empty buckets stay inside a span (as zero counts), longer gaps start a new span.
 */
function spansAndDeltas(buckets: Map<number, number>): { spans: BucketSpan[]; deltas: number[] } {
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  if (buckets.size === 0) return { spans, deltas };
  const keys = Int32Array.from(buckets.keys()).sort();
  let spanOffset = 0;
  let spanLength = 0;
  let previousCount = 0;
  let nextKey = 0;
  for (let n = 0; n < keys.length; n++) {
    const key = keys[n]!;
    const gap = key - nextKey;
    if (n === 0 || gap > 2) {
      if (n !== 0) spans.push({ offset: spanOffset, length: spanLength });
      spanOffset = gap;
      spanLength = 0;
    } else {
      for (let j = 0; j < gap; j++) {
        deltas.push(0 - previousCount);
        previousCount = 0;
        spanLength++;
      }
    }
    const count = buckets.get(key)!;
    deltas.push(count - previousCount);
    previousCount = count;
    spanLength++;
    nextKey = key + 1;
  }
  spans.push({ offset: spanOffset, length: spanLength });
  return { spans, deltas };
}
