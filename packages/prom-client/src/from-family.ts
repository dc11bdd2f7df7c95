import type { MetricFamily } from '@promkit/core';
import type { MetricSnapshot, SampleLike } from './types';

/**
 * prom-client's `get()` shape of a promkit family (for promkit collectors shown through this
 * API, such as the default metrics). Histogram buckets become cumulative `_bucket` samples
 * labelled `le` first, as prom-client writes them.
 */
export function snapshotFromFamily(
  family: MetricFamily,
  aggregator: string,
  restore?: Record<string, unknown>,
): MetricSnapshot {
  const values: SampleLike[] = [];
  const own = (labels: Record<string, string>): Record<string, unknown> => {
    if (restore === undefined) return { ...labels };
    const out: Record<string, unknown> = { ...labels };
    for (const name in restore) if (name in out) out[name] = restore[name];
    return out;
  };
  switch (family.type) {
    case 'histogram':
      for (const point of family.points) {
        const labels = own(point.labels);
        const { bounds, counts, count, sum } = point.value;
        let cumulative = 0;
        for (let i = 0; i < bounds.length; i++) {
          cumulative += counts[i] ?? 0;
          values.push({
            labels: { le: bounds[i], ...labels },
            value: cumulative,
            metricName: `${family.name}_bucket`,
          });
        }
        values.push(
          { labels: { le: '+Inf', ...labels }, value: count, metricName: `${family.name}_bucket` },
          { labels, value: sum, metricName: `${family.name}_sum` },
          { labels, value: count, metricName: `${family.name}_count` },
        );
      }
      break;
    case 'summary':
      for (const point of family.points) {
        const labels = own(point.labels);
        for (const q of point.value.quantiles) {
          values.push({ labels: { quantile: q.quantile, ...labels }, value: q.value });
        }
        values.push(
          { labels, value: point.value.sum, metricName: `${family.name}_sum` },
          { labels, value: point.value.count, metricName: `${family.name}_count` },
        );
      }
      break;
    case 'counter':
    case 'gauge':
    case 'untyped':
      for (const point of family.points)
        values.push({ labels: own(point.labels), value: point.value });
      break;
    case 'info':
      for (const point of family.points) values.push({ labels: own(point.labels), value: 1 });
      break;
    case 'stateset':
      for (const point of family.points)
        values.push({ labels: own(point.labels), value: point.value });
      break;
  }
  const type =
    family.type === 'counter' || family.type === 'histogram' || family.type === 'summary'
      ? family.type
      : 'gauge';
  return { name: family.name, help: family.help, type, values, aggregator };
}
