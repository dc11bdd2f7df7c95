import type { Labels, MetricFamily } from '@promkit/core';

/** A number as the text format spells it, which is how `le` and `quantile` values are stored. */
function formatValue(value: number): string {
  if (Number.isFinite(value)) return value === 0 ? '0' : `${value}`;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/** One `prometheus.Label`. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** A native histogram sample, as core models it plus its timestamp. */
export interface NativeSample {
  readonly count: number;
  readonly sum: number;
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  readonly negativeSpans: readonly { readonly offset: number; readonly length: number }[];
  readonly negativeDeltas: readonly number[];
  readonly positiveSpans: readonly { readonly offset: number; readonly length: number }[];
  readonly positiveDeltas: readonly number[];
}

/** One `prometheus.TimeSeries` with one sample: a float or a native histogram. */
export interface TimeSeries {
  /** Sorted by name, `__name__` included. */
  readonly labels: readonly Label[];
  readonly value?: number;
  readonly histogram?: NativeSample;
}

/** `prometheus.MetricMetadata.MetricType`. */
export const METADATA_TYPES = {
  counter: 1,
  gauge: 2,
  histogram: 3,
  summary: 5,
  info: 6,
  stateset: 7,
  untyped: 0,
} as const satisfies Record<MetricFamily['type'], number>;

export interface Metadata {
  readonly type: number;
  readonly name: string;
  readonly help: string;
  readonly unit: string;
}

/**
 * Turns a registry snapshot into the series a Prometheus scrape of the text format would
 * store: counters and gauges as one series each; classic histograms as `_bucket{le}`, `_sum`
 * and `_count`; summaries as `{quantile}`, `_sum` and `_count`; info as `<name>_info` = 1;
 * state sets as one 0/1 series per state. A histogram with native buckets is also sent as
 * one native histogram series under its own name. External labels are added to every
 * series that does not carry that label already.
 */
export function toTimeSeries(
  families: readonly MetricFamily[],
  externalLabels: Labels,
): { series: TimeSeries[]; metadata: Metadata[] } {
  const series: TimeSeries[] = [];
  const metadata: Metadata[] = [];
  const push = (name: string, labels: Labels, value: number, extra?: Label): void => {
    series.push({ labels: labelList(name, labels, externalLabels, extra), value });
  };
  for (const family of families) {
    if (family.points.length === 0) continue;
    const { name, help } = family;
    const unit = family.unit ?? '';
    switch (family.type) {
      case 'counter':
      case 'gauge':
      case 'untyped':
      case 'stateset':
        for (const point of family.points) push(name, point.labels, point.value);
        metadata.push({ type: METADATA_TYPES[family.type], name, help, unit });
        break;
      case 'info': {
        const sample = name.endsWith('_info') ? name : `${name}_info`;
        for (const point of family.points) push(sample, point.labels, 1);
        metadata.push({ type: METADATA_TYPES.info, name: sample, help, unit });
        break;
      }
      case 'summary':
        for (const point of family.points) {
          const { count, sum, quantiles } = point.value;
          for (const q of quantiles) {
            push(name, point.labels, q.value, { name: 'quantile', value: formatValue(q.quantile) });
          }
          push(`${name}_sum`, point.labels, sum);
          push(`${name}_count`, point.labels, count);
        }
        metadata.push({ type: METADATA_TYPES.summary, name, help, unit });
        break;
      case 'histogram':
        for (const point of family.points) {
          const { bounds, counts, count, sum, native } = point.value;
          if (native !== undefined) {
            series.push({
              labels: labelList(name, point.labels, externalLabels),
              histogram: { ...native, count, sum },
            });
          }
          if (counts.length === 0) continue;
          let cumulative = 0;
          for (let i = 0; i < counts.length; i++) {
            cumulative += counts[i]!;
            const le = i < bounds.length ? formatValue(bounds[i]!) : '+Inf';
            push(`${name}_bucket`, point.labels, cumulative, { name: 'le', value: le });
          }
          push(`${name}_sum`, point.labels, sum);
          push(`${name}_count`, point.labels, count);
        }
        metadata.push({ type: METADATA_TYPES.histogram, name, help, unit });
        break;
    }
  }
  return { series, metadata };
}

function labelList(name: string, labels: Labels, external: Labels, extra?: Label): Label[] {
  const list: Label[] = [{ name: '__name__', value: name }];
  // An empty value means "no such label" to Prometheus, as when it scrapes.
  for (const key in labels) if (labels[key] !== '') list.push({ name: key, value: labels[key]! });
  if (extra !== undefined) list.push(extra);
  for (const key in external) {
    if (!(key in labels) && key !== extra?.name && external[key] !== '') {
      list.push({ name: key, value: external[key]! });
    }
  }
  // Receivers require labels sorted by name (UTF-16 order equals byte order for the ASCII of
  // label names). Insertion sort: a handful of labels, often in order already.
  for (let i = 1; i < list.length; i++) {
    const label = list[i]!;
    let j = i - 1;
    while (j >= 0 && list[j]!.name > label.name) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = label;
  }
  return list;
}

/** Requests of at most `maxSamples` samples each (a native histogram counts as one). */
export function splitSeries(series: readonly TimeSeries[], maxSamples: number): TimeSeries[][] {
  const batches: TimeSeries[][] = [];
  for (let i = 0; i < series.length; i += maxSamples) {
    batches.push(series.slice(i, i + maxSamples));
  }
  return batches;
}
