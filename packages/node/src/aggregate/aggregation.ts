/**
 * How the primary combines one metric's series from many processes or threads:
 * `sum`, `min`, `max`, `average`, `first` (the first answering worker's value), `omit`
 * (drop the metric), or `all` (keep every worker's series, told apart by a `worker` label).
 */
export type Aggregation = 'sum' | 'min' | 'max' | 'first' | 'average' | 'omit' | 'all';

export const AGGREGATIONS: readonly Aggregation[] = [
  'sum',
  'min',
  'max',
  'first',
  'average',
  'omit',
  'all',
];

export function isAggregation(value: unknown): value is Aggregation {
  return typeof value === 'string' && (AGGREGATIONS as readonly string[]).includes(value);
}
