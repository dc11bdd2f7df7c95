import type { MetricFamily } from './model';

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
