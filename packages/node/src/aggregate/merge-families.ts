import {
  type CounterPoint,
  type Exemplar,
  type HistogramPoint,
  type HistogramValue,
  type InfoPoint,
  type Labels,
  labelText,
  type MetricFamily,
  type MetricType,
  type SummaryPoint,
} from '@promkit/core';
import { AggregationError } from '../errors';
import type { Aggregation } from './aggregation';
import { mergeNative } from './merge-native';

/** One worker's (or the primary's) families, as collected for one scrape. */
export interface WorkerSnapshot {
  /** Names the worker in `all` mode's `worker` label and in error messages. */
  readonly worker: string;
  readonly families: readonly MetricFamily[];
  /** Aggregations the worker's registry asks for (see `setAggregation`). */
  readonly hints?: Readonly<Record<string, Aggregation>>;
}

export interface MergeOptions {
  /** Per metric name; wins over hints sent by workers and over the type's default. */
  readonly aggregation?: Readonly<Record<string, Aggregation>>;
  /** Default for gauges and untyped metrics. Default `sum`. */
  readonly gaugeAggregation?: Aggregation;
  /** Label that tells workers apart in `all` mode. Default `worker`. */
  readonly workerLabel?: string;
  /** Told about series that cannot be merged (type or bucket mismatches); they are skipped. */
  readonly onError?: (error: Error) => void;
}

type AnyPoint = MetricFamily['points'][number];

interface Contribution {
  readonly worker: string;
  readonly point: AnyPoint;
}

interface FamilyAccumulator {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly unit: string | undefined;
  /** Series key → contributions in worker order. */
  readonly series: Map<string, Contribution[]>;
  readonly contributions: Contribution[];
  hint: Aggregation | undefined;
}

/** Canonical key of a label set: independent of the order the labels were added in. */
function seriesKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = '';
  for (const name of names) key += `${name.length}:${name}=${labels[name]!.length}:${labels[name]}`;
  return key;
}

function defaultAggregation(type: MetricType, gaugeAggregation: Aggregation): Aggregation {
  switch (type) {
    case 'gauge':
    case 'untyped':
      return gaugeAggregation;
    case 'stateset':
      return 'max';
    case 'info':
      return 'first';
    default:
      return 'sum';
  }
}

/**
 * Merges the families of many workers into one set, series by series (same name and
 * label set). Counters, histograms (bucket-wise, same bounds) and summaries (count and
 * sum; quantiles cannot be merged and are dropped unless the mode is `first`) are
 * summed; gauges follow `gaugeAggregation`; `aggregation` and worker hints override
 * per metric. Families keep the order in which they were first seen.
 *
 * @example
 * const families = mergeFamilies(
 *   [{ worker: '1', families: a }, { worker: '2', families: b }],
 *   { aggregation: { queue_depth: 'max' } },
 * );
 */
export function mergeFamilies(
  snapshots: readonly WorkerSnapshot[],
  options: MergeOptions = {},
): MetricFamily[] {
  const gaugeAggregation = options.gaugeAggregation ?? 'sum';
  const workerLabel = options.workerLabel ?? 'worker';
  const onError = options.onError ?? (() => {});
  const byName = new Map<string, FamilyAccumulator>();

  for (const snapshot of snapshots) {
    for (const family of snapshot.families) {
      let acc = byName.get(family.name);
      if (acc === undefined) {
        acc = {
          name: family.name,
          help: family.help,
          type: family.type,
          unit: family.unit,
          series: new Map(),
          contributions: [],
          hint: undefined,
        };
        byName.set(family.name, acc);
      } else if (acc.type !== family.type) {
        onError(
          new AggregationError(
            `metric "${family.name}" is a ${family.type} in worker ${snapshot.worker} but a ${acc.type} elsewhere; that worker's series are skipped`,
          ),
        );
        continue;
      }
      acc.hint ??= snapshot.hints?.[family.name];
      for (const point of family.points) {
        const contribution = { worker: snapshot.worker, point };
        acc.contributions.push(contribution);
        const key = seriesKey(point.labels);
        const list = acc.series.get(key);
        if (list === undefined) acc.series.set(key, [contribution]);
        else list.push(contribution);
      }
    }
  }

  const merged: MetricFamily[] = [];
  for (const acc of byName.values()) {
    const mode =
      options.aggregation?.[acc.name] ?? acc.hint ?? defaultAggregation(acc.type, gaugeAggregation);
    if (mode === 'omit') continue;
    const points =
      mode === 'all'
        ? acc.contributions.map((c) => withWorkerLabel(c, workerLabel))
        : [...acc.series.values()].flatMap((list) => {
            const point = mergeSeries(acc, list, mode, onError);
            return point === undefined ? [] : [point];
          });
    merged.push({
      name: acc.name,
      help: acc.help,
      type: acc.type,
      ...(acc.unit === undefined ? {} : { unit: acc.unit }),
      points,
    } as MetricFamily);
  }
  return merged;
}

function withWorkerLabel(contribution: Contribution, workerLabel: string): AnyPoint {
  const labels = { ...contribution.point.labels, [workerLabel]: contribution.worker };
  return { ...contribution.point, labels, labelText: labelText(labels) } as AnyPoint;
}

function mergeSeries(
  acc: FamilyAccumulator,
  list: readonly Contribution[],
  mode: Aggregation,
  onError: (error: Error) => void,
): AnyPoint | undefined {
  const first = list[0]!.point;
  if (mode === 'first' || list.length === 1 || acc.type === 'info') return first;
  switch (acc.type) {
    case 'histogram':
      return mergeHistogram(acc.name, list, onError);
    case 'summary':
      return mergeSummary(list);
    default:
      return mergeValue(list, mode);
  }
}

function reduceValues(values: readonly number[], mode: Aggregation): number {
  switch (mode) {
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'average':
      return values.reduce((a, b) => a + b, 0) / values.length;
    default:
      return values.reduce((a, b) => a + b, 0);
  }
}

function latestTimestamp(list: readonly Contribution[]): number | undefined {
  let latest: number | undefined;
  for (const { point } of list) {
    if (point.timestampMs !== undefined && (latest === undefined || point.timestampMs > latest)) {
      latest = point.timestampMs;
    }
  }
  return latest;
}

function earliestCreated(list: readonly Contribution[]): number | undefined {
  let earliest: number | undefined;
  for (const { point } of list) {
    const created = (point as { created?: number }).created;
    if (created !== undefined && (earliest === undefined || created < earliest)) earliest = created;
  }
  return earliest;
}

/** The labels of the merged series, with `timestampMs` and `created` when any input had them. */
function base(list: readonly Contribution[]): InfoPoint & { created?: number } {
  const first = list[0]!.point;
  const timestampMs = latestTimestamp(list);
  const created = earliestCreated(list);
  return {
    labels: first.labels,
    ...(first.labelText === undefined ? {} : { labelText: first.labelText }),
    ...(timestampMs === undefined ? {} : { timestampMs }),
    ...(created === undefined ? {} : { created }),
  };
}

function mergeValue(list: readonly Contribution[], mode: Aggregation): AnyPoint {
  const values = list.map((c) => (c.point as CounterPoint).value);
  const exemplar = list.find((c) => (c.point as CounterPoint).exemplar !== undefined);
  return {
    ...base(list),
    value: reduceValues(values, mode),
    ...(exemplar === undefined ? {} : { exemplar: (exemplar.point as CounterPoint).exemplar }),
  } as AnyPoint;
}

function sameBounds(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function mergeHistogram(
  name: string,
  list: readonly Contribution[],
  onError: (error: Error) => void,
): HistogramPoint {
  const first = (list[0]!.point as HistogramPoint).value;
  const bounds = first.bounds;
  const counts = new Float64Array(first.counts.length);
  const exemplars: Array<Exemplar | undefined> = [];
  let hasExemplars = false;
  let count = 0;
  let sum = 0;
  const natives: NonNullable<HistogramValue['native']>[] = [];
  let allNative = true;
  for (const { worker, point } of list) {
    const value = (point as HistogramPoint).value;
    if (!sameBounds(value.bounds, bounds) || value.counts.length !== counts.length) {
      onError(
        new AggregationError(
          `histogram "${name}" in worker ${worker} has buckets [${Array.from(value.bounds).join(', ')}] but others have [${Array.from(bounds).join(', ')}]; that worker's series is skipped`,
        ),
      );
      continue;
    }
    for (let i = 0; i < counts.length; i++) {
      counts[i]! += value.counts[i]!;
      const exemplar = value.exemplars?.[i];
      if (exemplar !== undefined && exemplars[i] === undefined) {
        exemplars[i] = exemplar;
        hasExemplars = true;
      }
    }
    count += value.count;
    sum += value.sum;
    if (value.native === undefined) allNative = false;
    else natives.push(value.native);
  }
  return {
    ...base(list),
    value: {
      bounds,
      counts,
      count,
      sum,
      ...(hasExemplars ? { exemplars } : {}),
      ...(allNative && natives.length > 0 ? { native: mergeNative(natives) } : {}),
    },
  };
}

function mergeSummary(list: readonly Contribution[]): SummaryPoint {
  let count = 0;
  let sum = 0;
  for (const { point } of list) {
    const value = (point as SummaryPoint).value;
    count += value.count;
    sum += value.sum;
  }
  return { ...base(list), value: { count, sum, quantiles: [] } };
}
