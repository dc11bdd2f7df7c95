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
 * What the bound children of the columnar metrics share: the series index they record
 * into (-1 once the series is removed or expired) and, once it expired, the way to the
 * live series of the same labels.
 */
export abstract class BoundSeries<C extends BoundSeries<C>> implements Detachable {
  /** Set when the series expired: finds the live child of the same labels. */
  protected revive: (() => C) | undefined = undefined;
  protected forward: C | undefined = undefined;

  constructor(protected index: number) {}

  /** The child now holding this expired child's series (re-found when that one expires too). */
  protected live(revive: () => C): C {
    let forward = this.forward;
    if (forward === undefined || forward.index === -1) {
      forward = revive();
      this.forward = forward;
    }
    return forward;
  }

  /** The index to read: its own, or its expired series' live one; -1 when there is none. */
  protected readIndex(): number {
    if (this.index !== -1) return this.index;
    const forward = this.forward;
    return forward === undefined ? -1 : forward.index;
  }

  detach(): void {
    this.index = -1;
    this.revive = undefined;
  }

  expire(revive: () => unknown): void {
    this.index = -1;
    this.revive = revive as () => C;
  }
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
