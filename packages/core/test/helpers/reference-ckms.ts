/**
 * The CKMS stream as it was before the typed-array rewrite (plain arrays, a merge pass
 * then a compress pass), kept verbatim as the reference the rewrite must match exactly.
 */
import type { Invariant } from '../../src/metrics/ckms';

/**
 * Cormode–Korn–Muthukrishnan–Srivastava biased quantile stream with targeted
 * quantiles ("Effective Computation of Biased Quantiles over Data Streams", 2005), as
 * perks/client_golang implement it. Samples are merged in sorted batches.
 */
export class ReferenceCkmsStream {
  private values: number[] = [];
  private widths: number[] = [];
  private deltas: number[] = [];
  /** Observations merged so far. */
  n = 0;

  constructor(private readonly invariants: readonly Invariant[]) {}

  /** Allowed rank error at rank `r` given `n` observations: the tightest target wins. */
  private allowed(r: number): number {
    let min = Number.MAX_VALUE;
    const n = this.n;
    for (const [q, e] of this.invariants) {
      const f = q * n <= r ? (2 * e * r) / q : (2 * e * (n - r)) / (1 - q);
      if (f < min) min = f;
    }
    return min;
  }

  /** Merges `count` ascending values from `sorted`. */
  insertSorted(sorted: ArrayLike<number>, count: number): void {
    if (count === 0) return;
    const oldValues = this.values;
    const oldWidths = this.widths;
    const oldDeltas = this.deltas;
    const values: number[] = [];
    const widths: number[] = [];
    const deltas: number[] = [];
    let i = 0;
    let r = 0;
    for (let k = 0; k < count; k++) {
      const v = sorted[k]!;
      while (i < oldValues.length && oldValues[i]! <= v) {
        values.push(oldValues[i]!);
        widths.push(oldWidths[i]!);
        deltas.push(oldDeltas[i]!);
        r += oldWidths[i]!;
        i++;
      }
      values.push(v);
      widths.push(1);
      deltas.push(i < oldValues.length ? Math.max(0, Math.floor(this.allowed(r)) - 1) : 0);
      this.n += 1;
      r += 1;
    }
    for (; i < oldValues.length; i++) {
      values.push(oldValues[i]!);
      widths.push(oldWidths[i]!);
      deltas.push(oldDeltas[i]!);
    }
    this.values = values;
    this.widths = widths;
    this.deltas = deltas;
    this.compress();
  }

  private compress(): void {
    const values = this.values;
    const widths = this.widths;
    const deltas = this.deltas;
    const len = values.length;
    if (len < 2) return;
    // Walk from the top, folding each sample into its successor while the error allows;
    // survivors are written back from the end so the arrays stay sorted.
    let xValue = values[len - 1]!;
    let xWidth = widths[len - 1]!;
    let xDelta = deltas[len - 1]!;
    let r = this.n - 1 - xWidth;
    const keptValues: number[] = [];
    const keptWidths: number[] = [];
    const keptDeltas: number[] = [];
    for (let i = len - 2; i >= 0; i--) {
      const cWidth = widths[i]!;
      if (cWidth + xWidth + xDelta <= this.allowed(r)) {
        xWidth += cWidth;
      } else {
        keptValues.push(xValue);
        keptWidths.push(xWidth);
        keptDeltas.push(xDelta);
        xValue = values[i]!;
        xWidth = cWidth;
        xDelta = deltas[i]!;
      }
      r -= cWidth;
    }
    keptValues.push(xValue);
    keptWidths.push(xWidth);
    keptDeltas.push(xDelta);
    this.values = keptValues.reverse();
    this.widths = keptWidths.reverse();
    this.deltas = keptDeltas.reverse();
  }

  /** The estimate of quantile `q`; NaN when empty. */
  query(q: number): number {
    const len = this.values.length;
    if (len === 0) return Number.NaN;
    let t = Math.ceil(q * this.n);
    t += Math.ceil(this.allowed(t) / 2);
    let prev = this.values[0]!;
    let prevWidth = this.widths[0]!;
    let r = 0;
    for (let i = 1; i < len; i++) {
      r += prevWidth;
      if (r + this.widths[i]! + this.deltas[i]! > t) return prev;
      prev = this.values[i]!;
      prevWidth = this.widths[i]!;
    }
    return prev;
  }

  /** Number of retained samples (bounded by the invariants, not by `n`). */
  get size(): number {
    return this.values.length;
  }

  reset(): void {
    this.values = [];
    this.widths = [];
    this.deltas = [];
    this.n = 0;
  }
}
