import { ConfigError, InvalidValueError } from '../errors';
import type { BucketSpan, NativeHistogramValue } from '../model';
import { doubles, grownDoubles } from './doubles';

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

/**
 * O(1) search of FRACTION_BOUNDS for schemas 1..8: the top schema+1 mantissa bits
 * pick a cell narrower than any bucket, so at most one bound lies inside it; the
 * cell holds the first bound at or above its start, and one comparison settles it.
 */
interface FractionLookup {
  /** The bounds plus a sentinel 1.0 (above every fraction). */
  readonly bounds: Float64Array;
  readonly cells: Uint16Array;
  readonly shift: number;
  readonly mask: number;
  readonly perOctave: number;
}

const LOOKUPS: readonly (FractionLookup | undefined)[] = FRACTION_BOUNDS.map(
  (fractions, schema) => {
    if (schema === 0) return undefined;
    const bounds = new Float64Array(fractions.length + 1);
    bounds.set(fractions);
    bounds[fractions.length] = 1;
    const cellBits = schema + 1;
    const cells = new Uint16Array(1 << cellBits);
    let j = 0;
    for (let c = 0; c < cells.length; c++) {
      const start = 0.5 + c * 2 ** -(cellBits + 1);
      while (bounds[j]! < start) j++;
      cells[c] = j;
    }
    return {
      bounds,
      cells,
      shift: 20 - cellBits,
      mask: cells.length - 1,
      perOctave: fractions.length,
    };
  },
);

const frexpScratch = new Float64Array(1);
const frexpWords = new Uint32Array(frexpScratch.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const TWO_POW_64 = 2 ** 64;
let frexpExponent = 0;
/** The upper 20 mantissa bits of the value last given to `frexp`. */
let frexpMantissaHigh = 0;

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
  frexpMantissaHigh = high & 0xfffff;
  frexpWords[HIGH_WORD] = frexpMantissaHigh | 0x3fe00000;
  return frexpScratch[0]!;
}

/** Bucket index of a magnitude v > 0 (finite or +Inf), as client_golang computes it. */
function indexOfMagnitude(v: number, schema: number, lookup: FractionLookup | undefined): number {
  let isInf = false;
  if (v === Number.POSITIVE_INFINITY) {
    // Pretend v is the largest float and take the bucket after it.
    v = Number.MAX_VALUE;
    isInf = true;
  }
  const frac = frexp(v);
  const exp = frexpExponent;
  let key: number;
  if (lookup !== undefined) {
    // The first bound ≥ frac, as sort.SearchFloat64s finds it.
    let j = lookup.cells[(frexpMantissaHigh >>> lookup.shift) & lookup.mask]!;
    if (lookup.bounds[j]! < frac) j++;
    key = j + (exp - 1) * lookup.perOctave;
  } else {
    // Schema ≤ 0: a bucket per power of two (an exact power belongs below), then
    // ceil(key / 2^-schema) to merge 2^-schema of them.
    key = frac === 0.5 ? exp - 1 : exp;
    key = (key + (1 << -schema) - 1) >> -schema;
  }
  return isInf ? key + 1 : key;
}

function lookupFor(schema: number): FractionLookup | undefined {
  return schema > 0 ? LOOKUPS[schema] : undefined;
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
  return indexOfMagnitude(Math.abs(value), schema, lookupFor(schema));
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

/** What a sign's counts hold until its first bucket is populated. */
const NO_COUNTS: readonly number[] = doubles(0);
/** The slots of every sign without a populated bucket: never written (`add` replaces it). */
const NO_SLOTS: ReadonlyMap<number, number> = new Map<number, number>();

/**
 * Counts of the populated buckets of one sign: bucket index → slot in an array of doubles
 * (`doubles`: a `Float64Array` would cost ~140 B more per sign). The array is made with
 * the first bucket: most histograms never see a negative observation.
 */
class BucketCounts {
  private slots = NO_SLOTS as Map<number, number>;
  private counts: number[] = NO_COUNTS as number[];

  get size(): number {
    return this.slots.size;
  }

  /** Adds one to bucket `key`; true when that populated a new bucket. */
  increment(key: number): boolean {
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      this.counts[slot]!++;
      return false;
    }
    this.add(key, 1);
    return true;
  }

  private add(key: number, count: number): void {
    const slot = this.slots.get(key);
    if (slot !== undefined) {
      this.counts[slot]! += count;
      return;
    }
    if (this.slots === NO_SLOTS) this.slots = new Map();
    const next = this.slots.size;
    if (next === this.counts.length) {
      this.counts = grownDoubles(this.counts, next === 0 ? 16 : next * 2);
    }
    this.counts[next] = count;
    this.slots.set(key, next);
  }

  /** The same counts at half the resolution: bucket i goes to ceil(i/2). */
  halved(): BucketCounts {
    const wider = new BucketCounts();
    this.slots.forEach((slot, key) => {
      wider.add((key + 1) >> 1, this.counts[slot]!);
    });
    return wider;
  }

  clear(): void {
    if (this.slots !== NO_SLOTS) this.slots.clear();
    this.counts.fill(0);
  }

  /**
   * Spans and deltas as client_golang's makeBuckets writes them: gaps of one or two
   * empty buckets stay inside a span (as zero counts), longer gaps start a new span.
   */
  spansAndDeltas(): { spans: BucketSpan[]; deltas: number[] } {
    const spans: BucketSpan[] = [];
    const deltas: number[] = [];
    if (this.slots.size === 0) return { spans, deltas };
    const keys = Int32Array.from(this.slots.keys()).sort();
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
      const count = this.counts[this.slots.get(key)!]!;
      deltas.push(count - previousCount);
      previousCount = count;
      spanLength++;
      nextKey = key + 1;
    }
    spans.push({ offset: spanOffset, length: spanLength });
    return { spans, deltas };
  }
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
  private lookup: FractionLookup | undefined;
  private positive = new BucketCounts();
  private negative = new BucketCounts();
  private zeroCount = 0;

  constructor(opts: ResolvedNativeHistogramOptions) {
    this.initialSchema = opts.schema;
    this.maxBuckets = opts.maxBuckets;
    this.zeroThreshold = opts.zeroThreshold;
    this.currentSchema = opts.schema;
    this.lookup = lookupFor(opts.schema);
  }

  /** Current schema; lower than the configured one after resolution was reduced. */
  get schema(): number {
    return this.currentSchema;
  }

  /** Counts one observation. NaN is ignored here (the histogram counts it in count and sum). */
  observe(value: number): void {
    let created: boolean;
    if (value > this.zeroThreshold) {
      created = this.positive.increment(indexOfMagnitude(value, this.currentSchema, this.lookup));
    } else if (value < -this.zeroThreshold) {
      created = this.negative.increment(indexOfMagnitude(-value, this.currentSchema, this.lookup));
    } else {
      if (!Number.isNaN(value)) this.zeroCount++;
      return;
    }
    if (
      created &&
      this.maxBuckets !== 0 &&
      this.positive.size + this.negative.size > this.maxBuckets
    ) {
      this.reduceResolution();
    }
  }

  private reduceResolution(): void {
    while (
      this.currentSchema > NATIVE_SCHEMA_MIN &&
      this.positive.size + this.negative.size > this.maxBuckets
    ) {
      this.currentSchema--;
      this.lookup = lookupFor(this.currentSchema);
      this.positive = this.positive.halved();
      this.negative = this.negative.halved();
    }
  }

  /** The buckets as spans and deltas; a fresh object each call. */
  snapshot(): NativeHistogramValue {
    const positive = this.positive.spansAndDeltas();
    const negative = this.negative.spansAndDeltas();
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
    this.lookup = lookupFor(this.initialSchema);
  }
}
