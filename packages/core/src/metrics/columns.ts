import { grownLength } from '../growth';

/** A column of one number per series index. Returns `column` itself when it fits. */
export function fitColumn(
  column: Float64Array<ArrayBuffer>,
  index: number,
): Float64Array<ArrayBuffer> {
  if (index < column.length) return column;
  const grown = new Float64Array(grownLength(column.length, index + 1));
  grown.set(column);
  return grown;
}

/** What a bound child of a columnar metric must offer to be let go. */
export interface Detachable {
  /** Its series is gone (removed or reset): later updates are dropped, reads give 0. */
  detach(): void;
  /** Its series expired: later updates go to the series `revive()` finds (or re-creates). */
  expire(revive: () => unknown): void;
}

/**
 * The bound children of a columnar metric, one per series index, made on first
 * `labels()` call and handed out again after that (so `metric.labels(l).inc()` on a hot
 * path allocates nothing after the first call).
 */
export class BoundChildren<C extends Detachable> {
  private children: Array<C | undefined> | undefined = undefined;

  get(index: number, make: (index: number) => C): C {
    if (this.children === undefined) this.children = [];
    let child = this.children[index];
    if (child === undefined) {
      child = make(index);
      this.children[index] = child;
    }
    return child;
  }

  /** Hands the child of `index`, if one was made, the way back to its series. */
  expire(index: number, revive: () => unknown): void {
    const child = this.children?.[index];
    if (child === undefined) return;
    child.expire(revive);
    this.children![index] = undefined;
  }

  /** Detaches the child of `index`, if one was made. */
  drop(index: number): void {
    const child = this.children?.[index];
    if (child === undefined) return;
    child.detach();
    this.children![index] = undefined;
  }
}
