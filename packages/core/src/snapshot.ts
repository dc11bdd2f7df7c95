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
  /** Points `from` (inclusive) to `to` (exclusive), made now. */
  points(from: number, to: number): MetricFamily['points'];
  /**
   * Set when every point is a plain number without exemplar or timestamp (counters,
   * gauges): the same points as columns, which writers read without making a point
   * object and a label object per series.
   */
  readonly columns?: ValueColumns;
}

/** A lazy family's points as columns: point `i` is series `indices[i]`. */
export interface ValueColumns {
  readonly indices: Int32Array;
  /** Value per series index. */
  readonly values: Float64Array;
  /** Created timestamp (seconds since the epoch) per series index, for counters. */
  readonly created: Float64Array | undefined;
  /** Label text, names and values per series index. */
  readonly series: SeriesView;
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
