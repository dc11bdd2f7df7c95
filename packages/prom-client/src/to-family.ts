import type {
  Exemplar,
  HistogramPoint,
  Labels,
  MetricFamily,
  Quantile,
  SummaryPoint,
} from '@promkit/core';
import type { StoredLabels } from './labels';
import type { MetricSnapshot, SampleLike } from './types';

/** Series labels with the registry's default labels added (the series' own win), as strings. */
export function coreLabels(
  labels: Record<string, unknown> | undefined,
  defaults: StoredLabels | undefined,
  skip?: string,
): Labels {
  const out: Record<string, string> = {};
  for (const name in labels) {
    if (name === skip) continue;
    const value = labels[name];
    if (value !== undefined) out[name] = String(value);
  }
  if (defaults !== undefined) {
    for (const name in defaults) {
      if (!(name in out) && name !== skip) out[name] = String(defaults[name]);
    }
  }
  return out;
}

export function coreExemplar(exemplar: SampleLike['exemplar']): Exemplar | undefined {
  if (exemplar === undefined || exemplar === null) return undefined;
  const labels = coreLabels(exemplar.labelSet, undefined);
  return exemplar.timestamp === undefined
    ? { labels, value: Number(exemplar.value) }
    : { labels, value: Number(exemplar.value), timestamp: exemplar.timestamp };
}

/** A stable key for a label set (order-insensitive, values compared exactly). */
function seriesKey(labels: Labels): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((name) => [name, labels[name]]),
  );
}

function parseBound(le: unknown): number {
  if (le === '+Inf' || le === 'Inf' || le === Number.POSITIVE_INFINITY) {
    return Number.POSITIVE_INFINITY;
  }
  return Number(le);
}

function bucketSamples(samples: readonly SampleLike[], name: string): Map<string, HistogramAcc> {
  const series = new Map<string, HistogramAcc>();
  const acc = (sample: SampleLike, skip?: string): HistogramAcc => {
    const labels = coreLabels({ ...sample.labels, ...sample.sharedLabels }, undefined, skip);
    const key = seriesKey(labels);
    let found = series.get(key);
    if (found === undefined) {
      found = { labels, buckets: [], sum: 0, count: 0 };
      series.set(key, found);
    }
    return found;
  };
  for (const sample of samples) {
    const metricName = sample.metricName ?? name;
    if (metricName.endsWith('_bucket')) {
      const le = sample.labels?.le ?? sample.sharedLabels?.le;
      acc(sample, 'le').buckets.push({
        le: parseBound(le),
        cumulative: sample.value,
        exemplar: coreExemplar(sample.exemplar),
      });
    } else if (metricName.endsWith('_sum')) {
      acc(sample).sum = sample.value;
    } else if (metricName.endsWith('_count')) {
      acc(sample).count = sample.value;
    }
  }
  return series;
}

interface HistogramAcc {
  labels: Labels;
  buckets: Array<{ le: number; cumulative: number; exemplar: Exemplar | undefined }>;
  sum: number;
  count: number;
}

function histogramPoint(acc: HistogramAcc, defaults: StoredLabels | undefined): HistogramPoint {
  const sorted = acc.buckets.sort((a, b) => a.le - b.le);
  const finite = sorted.filter((b) => Number.isFinite(b.le));
  const bounds = finite.map((b) => b.le);
  const counts: number[] = [];
  const exemplars: Array<Exemplar | undefined> = [];
  let previous = 0;
  for (const bucket of finite) {
    counts.push(Math.max(0, bucket.cumulative - previous));
    exemplars.push(bucket.exemplar);
    previous = bucket.cumulative;
  }
  const inf = sorted.find((b) => !Number.isFinite(b.le));
  const count = acc.count || inf?.cumulative || previous;
  counts.push(Math.max(0, count - previous));
  exemplars.push(inf?.exemplar);
  const hasExemplar = exemplars.some((e) => e !== undefined);
  return {
    labels: coreLabels(acc.labels, defaults),
    value: {
      bounds,
      counts,
      count,
      sum: acc.sum,
      ...(hasExemplar ? { exemplars } : {}),
    },
  };
}

function summaryPoints(
  samples: readonly SampleLike[],
  name: string,
  defaults: StoredLabels | undefined,
): SummaryPoint[] {
  const series = new Map<
    string,
    { labels: Labels; quantiles: Quantile[]; sum: number; count: number }
  >();
  for (const sample of samples) {
    const metricName = sample.metricName ?? name;
    const labels = coreLabels(sample.labels, undefined, 'quantile');
    const key = seriesKey(labels);
    let found = series.get(key);
    if (found === undefined) {
      found = { labels, quantiles: [], sum: 0, count: 0 };
      series.set(key, found);
    }
    if (metricName.endsWith('_sum')) found.sum = sample.value;
    else if (metricName.endsWith('_count')) found.count = sample.value;
    else {
      found.quantiles.push({ quantile: Number(sample.labels?.quantile), value: sample.value });
    }
  }
  return [...series.values()].map((s) => ({
    labels: coreLabels(s.labels, defaults),
    value: { count: s.count, sum: s.sum, quantiles: s.quantiles },
  }));
}

/**
 * A promkit `MetricFamily` from a prom-client `get()` snapshot: counters and gauges map
 * one to one; histogram `_bucket`/`_sum`/`_count` samples and summary quantiles are
 * regrouped per series; any other type is exposed as untyped.
 */
export function familyFromSnapshot(
  snapshot: MetricSnapshot,
  defaults: StoredLabels | undefined,
): MetricFamily {
  const samples = snapshot.values ?? [];
  const { name, help } = snapshot;
  switch (snapshot.type) {
    case 'counter':
      return {
        name,
        help,
        type: 'counter',
        points: samples.map((s) => {
          const exemplar = coreExemplar(s.exemplar);
          const labels = coreLabels(s.labels, defaults);
          return exemplar === undefined
            ? { labels, value: s.value }
            : { labels, value: s.value, exemplar };
        }),
      };
    case 'gauge':
      return {
        name,
        help,
        type: 'gauge',
        points: samples.map((s) => ({ labels: coreLabels(s.labels, defaults), value: s.value })),
      };
    case 'histogram':
      return {
        name,
        help,
        type: 'histogram',
        points: [...bucketSamples(samples, name).values()].map((acc) =>
          histogramPoint(acc, defaults),
        ),
      };
    case 'summary':
      return { name, help, type: 'summary', points: summaryPoints(samples, name, defaults) };
    default:
      return {
        name,
        help,
        type: 'untyped',
        points: samples.map((s) => ({
          labels: coreLabels(
            s.metricName === undefined || s.metricName === name ? s.labels : { ...s.labels },
            defaults,
          ),
          value: s.value,
        })),
      };
  }
}
