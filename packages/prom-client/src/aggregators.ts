import type { MetricSnapshot, SampleLike } from './types';

/** Combines one metric's snapshots from several registries into one (or drops it: undefined). */
export type AggregatorFunction = (metrics: MetricSnapshot[]) => MetricSnapshot | undefined;

function labelKey(labels: unknown): string {
  if (labels === null || typeof labels !== 'object') return '';
  const record = labels as Record<string, unknown>;
  let key = '';
  for (const name of Object.keys(record).sort()) {
    const value = record[name];
    if (value !== undefined)
      key += `${name.length}:${name}=${String(value).length}:${String(value)},`;
  }
  return key;
}

/**
 * Builds an aggregator from a function of the values of one series across registries:
 * samples are grouped by sample name and labels, timestamps are dropped.
 */
export function AggregatorFactory(combine: (values: SampleLike[]) => number): AggregatorFunction {
  return (metrics) => {
    if (metrics.length === 0) return undefined;
    const first = metrics[0]!;
    const groups = new Map<string, SampleLike[]>();
    for (const metric of metrics) {
      for (const sample of metric.values ?? []) {
        const key = `${sample.metricName}\u0000${labelKey(sample.labels)}`;
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [sample]);
        else group.push(sample);
      }
    }
    const values: SampleLike[] = [];
    for (const group of groups.values()) {
      const head = group[0]!;
      const combined: SampleLike = {
        value: combine(group),
        labels: head.labels as Record<string, unknown>,
      };
      if (head.metricName) combined.metricName = head.metricName;
      values.push(combined);
    }
    return {
      help: first.help,
      name: first.name,
      type: first.type,
      values,
      aggregator: first.aggregator,
    };
  };
}

/** The aggregators `aggregator: '…'` names, for `AggregatorRegistry`. */
export const aggregators: Record<string, AggregatorFunction> = {
  sum: AggregatorFactory((v) => v.reduce((total, s) => total + s.value, 0)),
  first: AggregatorFactory((v) => v[0]!.value),
  omit: () => undefined,
  average: AggregatorFactory((v) => v.reduce((total, s) => total + s.value, 0) / v.length),
  min: AggregatorFactory((v) =>
    v.reduce((low, s) => Math.min(low, s.value), Number.POSITIVE_INFINITY),
  ),
  max: AggregatorFactory((v) =>
    v.reduce((high, s) => Math.max(high, s.value), Number.NEGATIVE_INFINITY),
  ),
};
