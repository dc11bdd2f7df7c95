import { grownLength } from '../growth';

/** How far before its first timestamp a column's base lies, so a wall clock set back a little still fits. */
const BASE_MARGIN_MS = 3_600_000;
const MAX_OFFSET = 0xffff_ffff;

/**
 * When each series was created, in whole milliseconds since the epoch (what `Date.now()`
 * gives), 4 bytes a series instead of 8: the offset from a base as a Uint32, which
 * covers 49.7 days from the base (an hour before the first timestamp). A timestamp out
 * of that range (a process older than that, a wall clock set back by more than an hour,
 * a fraction of a millisecond) turns the column into Float64 milliseconds for good, so
 * every value read back is the exact one stored.
 */
export class CreatedColumn {
  private base = Number.NaN;
  private offsets = new Uint32Array(0);
  private exact: Float64Array<ArrayBuffer> | undefined = undefined;

  /** Stores `ms` as the creation time of `index`. */
  set(index: number, ms: number): void {
    if (this.exact !== undefined) {
      this.exact = fitMillis(this.exact, index);
      this.exact[index] = ms;
      return;
    }
    if (Number.isNaN(this.base)) this.base = ms - BASE_MARGIN_MS;
    const offset = ms - this.base;
    if (offset >= 0 && offset <= MAX_OFFSET && Number.isInteger(offset)) {
      if (index >= this.offsets.length) {
        const grown = new Uint32Array(grownLength(this.offsets.length, index + 1));
        grown.set(this.offsets);
        this.offsets = grown;
      }
      this.offsets[index] = offset;
      return;
    }
    this.widen();
    this.set(index, ms);
  }

  /** The creation time of `index` in seconds since the epoch (what `_created` shows). */
  seconds(index: number): number {
    return this.exact !== undefined
      ? this.exact[index]! / 1000
      : (this.base + this.offsets[index]!) / 1000;
  }

  /** A copy that later `set` calls leave as it is (for a scrape that reads it over time). */
  copy(): CreatedColumn {
    const copy = new CreatedColumn();
    copy.base = this.base;
    copy.offsets = this.offsets.slice();
    copy.exact = this.exact?.slice();
    return copy;
  }

  /** Whether the column holds Float64 milliseconds (for tests). */
  get widened(): boolean {
    return this.exact !== undefined;
  }

  private widen(): void {
    const exact = new Float64Array(this.offsets.length);
    for (let i = 0; i < exact.length; i++) exact[i] = this.base + this.offsets[i]!;
    this.exact = exact;
    this.offsets = new Uint32Array(0);
  }
}

function fitMillis(column: Float64Array<ArrayBuffer>, index: number): Float64Array<ArrayBuffer> {
  if (index < column.length) return column;
  const grown = new Float64Array(grownLength(column.length, index + 1));
  grown.set(column);
  return grown;
}
