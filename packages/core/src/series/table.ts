import type { LabelValue } from '../labels';
import type { Labels } from '../model';
import type { IdColumn } from './compiled-finder';
import type { TextLineWriter } from './compiled-writers';

export type RawLabels = Readonly<Record<string, LabelValue>>;

/**
 * Where a metric finds its series from a caller's label object. A table maps label sets
 * to small stable indices; the metric keeps each series' state at its index (a column
 * of numbers, or an object). `find` is the hot path of every labelled call; `insert`
 * runs once per new series.
 */
export interface SeriesTable {
  /** Live series. */
  readonly size: number;
  /** The index of `labels`' series, or -1. Throws `LabelSetError` for a malformed set. */
  find(labels: RawLabels | undefined): number;
  /** Adds the series of `labels` (after `find` returned -1) and returns its index. */
  insert(labels: RawLabels | undefined): number;
  /** Removes the series of `labels`; returns its index (free for reuse), or -1. */
  remove(labels: RawLabels | undefined): number;
  clear(): void;
  /** Calls `fn` with every live index, in ascending order. */
  forEach(fn: (index: number) => void): void;
  /** The owned label set of a live index (const labels first), a fresh object. */
  labelsOf(index: number): Labels;
  /** `labelText(labelsOf(index))`: `a="x",b="y"`, escaped. */
  labelTextOf(index: number): string;
  /** The index of the series of `labels` is removed (e.g. expired); frees it. */
  removeAt(index: number): void;
  /**
   * The live indices and their labels as they are now, unaffected by later inserts and
   * removals: what a scrape reads while it yields to the event loop.
   */
  view(): SeriesView;
}

/** A frozen view of a table's series (see `SeriesTable.view`). */
export interface SeriesView {
  /** Live indices, ascending. */
  readonly indices: Int32Array;
  labelsOf(index: number): Labels;
  labelTextOf(index: number): string;
  /**
   * Writes the labels of `index` (const labels first) into `out` as name, raw value,
   * name, raw value…, and returns how many labels there are: what a binary writer
   * reads instead of a fresh label object per series.
   */
  labelPairs(index: number, out: string[]): number;
  /** The interned form of these series, when the table interns label values. */
  readonly interned?: InternedLabels;
}

/**
 * Series as ids of interned label values (a table with declared label names): lets a
 * writer do its per-value work once per value rather than once per series. Label
 * `names[p]`'s value at index `i` is value `ids[i * names.length + p]` of position `p`.
 * Also what a text writer builds its lines from (flat pieces, one per repeated value,
 * instead of a label text per series): `labelTextOf(index)` is `constText + openers[0] +
 * escaped[0][ids[b]] + '"' + openers[1] + escaped[1][ids[b + 1]] + '"' …`, `b = index * width`.
 */
export interface InternedLabels {
  readonly names: readonly string[];
  /** Written before the declared labels, as `labelPairs` gives them. */
  readonly constLabels: Labels;
  readonly ids: IdColumn;
  /**
   * Per position, the escaped text of each id. Only ever appended to while the table
   * keeps its ids (renumbering makes new arrays), so an array can key what is derived
   * from its values.
   */
  readonly escaped: readonly (readonly string[])[];
  /**
   * Per position, the raw value of the ids whose escaped text differs. Live: it holds an
   * entry for every id below `escaped[p].length`.
   */
  readonly raw: ReadonlyArray<ReadonlyMap<number, string> | undefined>;
  /** `labelText(constLabels)`. */
  readonly constText: string;
  /** Per position: `name="`, after a comma unless it opens the text. */
  readonly openers: readonly string[];
  /** The compiled line writer for `names.length` positions, where code can be compiled. */
  readonly lineWriter: TextLineWriter | undefined;
}

/** `labelPairs` for a label object. */
export function pairsOf(labels: Labels, out: string[]): number {
  let n = 0;
  for (const name in labels) {
    out[2 * n] = name;
    out[2 * n + 1] = labels[name]!;
    n++;
  }
  return n;
}

/**
 * 0, 1, 2, … shared by every table, grown as series indices are handed out: a table
 * without removed series (the usual case) gives a snapshot its live indices as a view of
 * this array, without a pass over its series. Entries never change once written, so a
 * view handed out stays valid.
 */
let identity = new Int32Array(0);
let identityFilled = 0;

/** Makes sure `identity` holds 0 … end − 1. */
function coverIdentity(end: number): void {
  if (end <= identityFilled) return;
  if (end > identity.length) {
    const grown = new Int32Array(Math.max(end, identity.length * 2, 1024));
    grown.set(identity.subarray(0, identityFilled));
    identity = grown;
  }
  for (let i = identityFilled; i < end; i++) identity[i] = i;
  identityFilled = end;
}

/** The indices 0 … count − 1, as a read-only view (callers must not write to it). */
export function identityIndices(count: number): Int32Array {
  coverIdentity(count);
  return identity.subarray(0, count);
}

/** The live indices `forEach` visits, as an array. */
export function liveIndices(table: Pick<SeriesTable, 'size' | 'forEach'>, end: number): Int32Array {
  if (table.size === end) return identityIndices(end);
  const indices = new Int32Array(table.size);
  let n = 0;
  table.forEach((index) => {
    indices[n++] = index;
  });
  return n === indices.length ? indices : indices.subarray(0, n);
}

/** Hands out indices, reusing freed ones, so storage never grows beyond the most series live at once. */
export class IndexAllocator {
  private free: number[] = [];
  /** One past the highest index ever handed out. */
  end = 0;

  take(): number {
    if (this.free.length > 0) return this.free.pop()!;
    // Written as series are made, so a scrape never pays for it.
    if (this.end >= identityFilled) coverIdentity(this.end + 1);
    return this.end++;
  }

  release(index: number): void {
    this.free.push(index);
  }

  reset(): void {
    this.free = [];
    this.end = 0;
  }
}
