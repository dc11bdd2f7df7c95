import type { MetricFamily } from './model';
import type { SeriesView } from './series/table';

/**
 * A family whose points are made on demand, slice by slice, from state captured when the
 * snapshot was taken (so every slice, and every scrape sharing the snapshot, sees the
 * same values). Lets a scrape of a large metric yield to the event loop between slices
 * and keep only one slice of point objects alive at a time.
 */
export interface LazyFamily {
  readonly lazy: true;
  /** Name, help, type and unit; `points` is empty. */
  readonly head: MetricFamily;
  /** Number of points. */
  readonly size: number;
  /** Exposition samples one point writes (a histogram's buckets + 2). Default 1. */
  readonly samplesPerPoint?: number;
  /** Points `from` (inclusive) to `to` (exclusive), made now. */
  points(from: number, to: number): MetricFamily['points'];
}

/** Creation times by series index, in seconds since the epoch (a metric's created column). */
export interface CreatedSeconds {
  seconds(index: number): number;
}

/**
 * A lazy family's points as columns, when every point is a plain number without
 * exemplar or timestamp (counters, gauges): writers read these instead of making a
 * point object and a label object per series. Point `i` is series `indices[i]`.
 */
export interface ValueColumns {
  readonly indices: Int32Array;
  /** Value per series index. */
  readonly values: Float64Array;
  /** Created timestamp (seconds since the epoch) per series index, for counters. */
  readonly created: CreatedSeconds | undefined;
  /** Label text, names and values per series index. */
  readonly series: SeriesView;
}

// Kept on the family under module-private symbols, so the public `LazyFamily` stays as
// it is. (Two WeakMaps did this before: a scrape of 100 families spent a fifth of its
// snapshot on their inserts, and the collector more on their ephemerons.)
const VIEW: unique symbol = Symbol('promkit.series-view');
const COLUMNS: unique symbol = Symbol('promkit.value-columns');

interface Annotated extends LazyFamily {
  [VIEW]?: SeriesView;
  [COLUMNS]?: ValueColumns;
}

/** Notes the series view a metric's lazy family reads its labels from. */
export function recordView(family: LazyFamily, view: SeriesView): void {
  (family as Annotated)[VIEW] = view;
}

/** Offers `family`'s points as columns: `values` (and `created`) per series index. */
export function offerColumns(
  family: LazyFamily,
  values: Float64Array,
  created: CreatedSeconds | undefined,
): void {
  const series = (family as Annotated)[VIEW];
  if (series !== undefined) {
    (family as Annotated)[COLUMNS] = { indices: series.indices, values, created, series };
  }
}

/** The columns of a lazy family, when its metric offered them. */
export function columnsOf(family: LazyFamily): ValueColumns | undefined {
  return (family as Annotated)[COLUMNS];
}

/** What a registry snapshot holds: plain families and lazy ones. */
export type SnapshotFamily = MetricFamily | LazyFamily;

export function isLazy(family: SnapshotFamily): family is LazyFamily {
  return (family as LazyFamily).lazy === true;
}

/** A lazy family's points, all made now (what `collect()` returns). */
export function materialize(family: SnapshotFamily): MetricFamily {
  if (!isLazy(family)) return family;
  return { ...family.head, points: family.points(0, family.size) } as MetricFamily;
}
