import { doubles } from './doubles';

/** A targeted quantile: estimate `quantile` within rank error `error` (e.g. [0.99, 0.001]). */
export type Invariant = readonly [quantile: number, error: number];

/** Numbers per sample in the sample arrays: value, width, delta. */
const STRIDE = 3;

/**
 * Where every merge writes before the survivors are copied back: one array for all
 * streams (merges run to completion one at a time), so a stream keeps only its
 * compressed samples between merges.
 */
let scratch = new Float64Array(STRIDE * 1024);
/** What a stream holds before its first merge. */
const NO_SAMPLES: readonly number[] = doubles(0);

interface Targets {
  readonly quantiles: Float64Array;
  readonly twiceError: Float64Array;
  readonly above: Float64Array;
}

/**
 * The per-invariant numbers, made once per invariants array: every series of a summary
 * (and each stream of its window) passes the same array, so they share them instead of
 * holding three small typed arrays each.
 */
const targetsByInvariants = new WeakMap<readonly Invariant[], Targets>();

function targetsOf(invariants: readonly Invariant[]): Targets {
  let targets = targetsByInvariants.get(invariants);
  if (targets === undefined) {
    targets = {
      quantiles: Float64Array.from(invariants, ([q]) => q),
      twiceError: Float64Array.from(invariants, ([, e]) => 2 * e),
      above: Float64Array.from(invariants, ([q]) => 1 - q),
    };
    targetsByInvariants.set(invariants, targets);
  }
  return targets;
}

/**
 * Cormode–Korn–Muthukrishnan–Srivastava biased quantile stream with targeted
 * quantiles ("Effective Computation of Biased Quantiles over Data Streams", 2005), as
 * perks/client_golang implement it. Samples are merged in sorted batches.
 *
 * Samples are `(value, width, delta)` triples, ascending by value, in one array.
 * A merge walks the old samples and the batch from the top down and compresses as it
 * goes (one pass, no allocation), giving the same samples as merging bottom-up and then
 * compressing from the top, which is what perks does.
 */
export class CkmsStream {
  /**
   * Made at the first merge, sized to what it keeps then (plus a quarter); `doubles`, not
   * a `Float64Array` (a windowed summary keeps five streams per series, most of them
   * holding a few samples). Merges and queries read it as fast either way.
   */
  private samples: number[] = NO_SAMPLES as number[];
  /** Samples held (triples in `samples`). */
  private length = 0;
  /** Observations merged so far; always the sum of the widths. */
  n = 0;
  private readonly quantiles: Float64Array;
  /** 2·error per invariant. */
  private readonly twiceError: Float64Array;
  /** 1 − quantile per invariant. */
  private readonly above: Float64Array;

  constructor(invariants: readonly Invariant[]) {
    const targets = targetsOf(invariants);
    this.quantiles = targets.quantiles;
    this.twiceError = targets.twiceError;
    this.above = targets.above;
  }

  /** Allowed rank error at rank `r` given `n` observations: the tightest target wins. */
  private allowed(r: number, n: number): number {
    const quantiles = this.quantiles;
    const twiceError = this.twiceError;
    const above = this.above;
    let min = Number.MAX_VALUE;
    for (let i = 0; i < quantiles.length; i++) {
      const q = quantiles[i]!;
      const f = q * n <= r ? (twiceError[i]! * r) / q : (twiceError[i]! * (n - r)) / above[i]!;
      if (f < min) min = f;
    }
    return min;
  }

  /** Merges `count` ascending values from `sorted`. */
  insertSorted(sorted: ArrayLike<number>, count: number): void {
    if (count === 0) return;
    const old = this.samples;
    const oldN = this.n;
    const n = oldN + count;
    let out = scratch;
    if (out.length < STRIDE * (this.length + count)) {
      out = new Float64Array(STRIDE * (this.length + count) * 2);
      scratch = out;
    }
    // Old samples still to place are [0, i), batch values [0, k); `oldAbove` is the
    // width of the old samples placed so far (all above what remains). Samples come
    // top-down in merge order (an old sample goes above batch values it equals); `x` is
    // the one compress folds into, `c` the next below it.
    let i = this.length;
    let k = count;
    let oldAbove = 0;
    let xValue: number;
    let xWidth: number;
    let xDelta: number;
    if (i > 0 && old[STRIDE * (i - 1)]! > sorted[k - 1]!) {
      i--;
      xValue = old[STRIDE * i]!;
      xWidth = old[STRIDE * i + 1]!;
      xDelta = old[STRIDE * i + 2]!;
      oldAbove = xWidth;
    } else {
      k--;
      xValue = sorted[k]!;
      xWidth = 1;
      xDelta = 0;
    }
    // Rank below the candidate, as perks' compress counts it.
    let r = n - 1 - xWidth;
    let w = out.length;
    while (i > 0 || k > 0) {
      let cValue: number;
      let cWidth: number;
      // A batch value's delta is only needed if it survives as `x`: -1 until then.
      let cDelta: number;
      let cRank = 0;
      let cN = 0;
      if (k === 0 || (i > 0 && old[STRIDE * (i - 1)]! > sorted[k - 1]!)) {
        i--;
        cValue = old[STRIDE * i]!;
        cWidth = old[STRIDE * i + 1]!;
        cDelta = old[STRIDE * i + 2]!;
        oldAbove += cWidth;
      } else {
        k--;
        cValue = sorted[k]!;
        cWidth = 1;
        // Merged bottom-up, its rank is the old width below it plus the k batch values
        // before it, with n counting up to it; with nothing old above, its delta is 0.
        cDelta = oldAbove === 0 ? 0 : -1;
        cRank = oldN - oldAbove + k;
        cN = oldN + k;
      }
      if (cWidth + xWidth + xDelta <= this.allowed(r, n)) {
        xWidth += cWidth;
      } else {
        out[--w] = xDelta;
        out[--w] = xWidth;
        out[--w] = xValue;
        xValue = cValue;
        xWidth = cWidth;
        xDelta = cDelta === -1 ? Math.max(0, Math.floor(this.allowed(cRank, cN)) - 1) : cDelta;
      }
      r -= cWidth;
    }
    out[--w] = xDelta;
    out[--w] = xWidth;
    out[--w] = xValue;
    const kept = out.length - w;
    let samples = this.samples;
    if (samples.length < kept) {
      samples = doubles(kept + (kept >> 2));
      this.samples = samples;
    }
    for (let j = 0; j < kept; j++) samples[j] = out[w + j]!;
    this.length = kept / STRIDE;
    this.n = n;
  }

  /** The estimate of quantile `q`; NaN when empty. */
  query(q: number): number {
    const len = this.length;
    if (len === 0) return Number.NaN;
    const samples = this.samples;
    let t = Math.ceil(q * this.n);
    t += Math.ceil(this.allowed(t, this.n) / 2);
    let prev = samples[0]!;
    let prevWidth = samples[1]!;
    let r = 0;
    for (let i = 1; i < len; i++) {
      r += prevWidth;
      const width = samples[STRIDE * i + 1]!;
      if (r + width + samples[STRIDE * i + 2]! > t) return prev;
      prev = samples[STRIDE * i]!;
      prevWidth = width;
    }
    return prev;
  }

  /** Number of retained samples (bounded by the invariants, not by `n`). */
  get size(): number {
    return this.length;
  }

  /** Forgets every observation (the sample array is kept for the next ones). */
  reset(): void {
    this.length = 0;
    this.n = 0;
  }
}
