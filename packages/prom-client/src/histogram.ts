import { format } from 'node:util';
import type { Exemplar, HistogramFamily, HistogramPoint } from '@promkit/core';
import { checkExemplarLabels, makeExemplar } from './exemplar';
import { formatValue, labelPairs } from './format';
import { TO_FAMILY, WRITE_TEXT } from './internal';
import { isObject, type LabelValues, type StoredLabels } from './labels';
import {
  BaseMetric,
  extraDefaults,
  familyLabels,
  familyLabelText,
  type MetricConfiguration,
  seriesText,
} from './metric';
import type { NewSeries, SeriesBase } from './series-store';
import { elapsedSeconds } from './timer';
import { coreExemplar } from './to-family';
import type { ExemplarValue, MetricObjectWithValues, MetricValueWithName } from './types';

/** prom-client's default buckets (seconds). */
export const DEFAULT_HISTOGRAM_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

interface HistogramSeries extends SeriesBase {
  /**
   * Per bucket (not cumulative); the last slot counts values above the top bound. A plain
   * array of numbers: a `Float64Array` per series costs V8 a buffer and a backing store
   * besides its numbers (~200 B more a series).
   */
  readonly counts: number[];
  sum: number;
  count: number;
  readonly exemplars: Array<ExemplarValue | null> | undefined;
}

export interface HistogramConfiguration<T extends string> extends MetricConfiguration<T> {
  buckets?: number[] | readonly number[];
  collect?: (this: Histogram<T>) => void | Promise<void>;
}

/** `observe()`'s single-argument form when exemplars are enabled. */
export interface ObserveDataWithExemplar<T extends string> {
  value: number;
  labels?: LabelValues<T>;
  exemplarLabels?: LabelValues<string>;
}

export declare namespace Histogram {
  /** What `histogram.labels(...)` returns. */
  interface Internal<T extends string> {
    observe(value: number): void;
    startTimer(): (labels?: LabelValues<T>) => number;
  }
  interface Config {
    buckets?: number[];
  }
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * prom-client's `Histogram`: observations counted in cumulative buckets, with sum and count.
 *
 * @example
 * const latency = new Histogram({ name: 'job_seconds', help: 'Job time.', buckets: [0.1, 1, 10] });
 * const end = latency.startTimer();
 * // … work …
 * end();
 */
export class Histogram<T extends string = string> extends BaseMetric<T, HistogramSeries> {
  readonly type = 'histogram' as const;
  /** The bucket upper bounds, ascending, without `+Inf`. */
  readonly upperBounds: readonly number[];
  readonly buckets: readonly number[];
  private readonly bounds: Float64Array;
  private readonly newSeries: NewSeries<HistogramSeries>;

  constructor(config: HistogramConfiguration<T>) {
    super(config, 'le');
    const given = config.buckets ?? DEFAULT_HISTOGRAM_BUCKETS;
    const sorted = [...new Set(given)]
      .filter((b) => b !== Number.POSITIVE_INFINITY)
      .sort((a, b) => a - b);
    this.upperBounds = Object.freeze(sorted);
    this.buckets = this.upperBounds;
    this.bounds = Float64Array.from(sorted);
    const slots = sorted.length + 1;
    const exemplars = this.enableExemplars;
    this.newSeries = (labels, tailKey) => ({
      labels,
      tailKey,
      text: undefined,
      counts: new Array<number>(slots).fill(0),
      sum: 0,
      count: 0,
      exemplars: exemplars ? new Array<ExemplarValue | null>(slots).fill(null) : undefined,
    });
    if (this.labelNames.length === 0) this.store.obtain(EMPTY, this.newSeries);
    this.registerAll();
  }

  /** Records `value`; with exemplars enabled takes `{ labels, value, exemplarLabels }`. */
  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(observeData: ObserveDataWithExemplar<T>): void;
  observe(labels: unknown, value?: unknown): void {
    if (this.enableExemplars) {
      this.observeWithExemplar(labels as ObserveDataWithExemplar<T>);
      return;
    }
    this.record(labels, value);
  }

  private record(labels: unknown, value: unknown): HistogramSeries {
    if (labels === undefined || labels === null) {
      labels = EMPTY;
    } else if (!isObject(labels)) {
      value = labels;
      labels = EMPTY;
    }
    this.readChecked(labels as object);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(`Value is not a valid number: ${format(value)}`);
    }
    const series = this.store.obtainRead(labels as Record<string, unknown>, this.newSeries);
    series.counts[this.slotOf(value)]! += 1;
    series.sum += value;
    series.count += 1;
    return series;
  }

  private slotOf(value: number): number {
    const bounds = this.bounds;
    const n = bounds.length;
    if (n <= 16) {
      let i = 0;
      while (i < n && value > bounds[i]!) i++;
      return i;
    }
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (value > bounds[mid]!) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private observeWithExemplar(data: ObserveDataWithExemplar<T> | undefined): void {
    const labels = data?.labels ?? EMPTY;
    const value = data?.value;
    const series = this.record(labels, value);
    const exemplarLabels = data?.exemplarLabels;
    if (exemplarLabels === undefined || Object.keys(exemplarLabels).length === 0) return;
    checkExemplarLabels(exemplarLabels);
    series.exemplars![this.slotOf(value as number)] = makeExemplar(
      exemplarLabels as Record<string, string>,
      value as number,
    );
  }

  /** Creates the series for `labels` at zero (so it is exported before any observation). */
  zero(labels: LabelValues<T>): void {
    this.store.replace(labels as Record<string, unknown>, this.newSeries);
  }

  /**
   * Starts a timer; the returned function observes the elapsed seconds (with the start and
   * end labels merged, and exemplar labels when exemplars are enabled) and returns them.
   */
  startTimer(
    labels?: LabelValues<T>,
    exemplarLabels?: LabelValues<string>,
  ): (labels?: LabelValues<T>, exemplarLabels?: LabelValues<string>) => number {
    const start = process.hrtime();
    return (endLabels, endExemplarLabels) => {
      const value = elapsedSeconds(start);
      const merged = { ...labels, ...endLabels } as LabelValues<T>;
      if (this.enableExemplars) {
        this.observe({
          labels: merged,
          value,
          exemplarLabels: { ...exemplarLabels, ...endExemplarLabels },
        });
      } else {
        this.observe(merged, value);
      }
      return value;
    };
  }

  /** Drops every series. */
  reset(): void {
    this.store.clear();
  }

  async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    if (this.collect) await this.collect();
    return this.snapshot(true);
  }

  /** prom-client's variant of `get()` whose bucket samples keep series labels apart. */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    if (this.collect) await this.collect();
    return this.snapshot(false);
  }

  private snapshot(splay: boolean): MetricObjectWithValues<MetricValueWithName<T>> {
    const values: Array<MetricValueWithName<T> & { sharedLabels?: StoredLabels }> = [];
    const bucketName = `${this.name}_bucket`;
    const bounds = this.upperBounds;
    for (const series of this.store.series) {
      let cumulative = 0;
      for (let i = 0; i <= bounds.length; i++) {
        cumulative += series.counts[i]!;
        const le: number | string = i < bounds.length ? bounds[i]! : '+Inf';
        const exemplar = series.exemplars?.[i] ?? null;
        const value = i < bounds.length ? cumulative : series.count;
        values.push(
          splay
            ? {
                labels: { le, ...series.labels } as LabelValues<T>,
                value,
                metricName: bucketName,
                exemplar,
              }
            : {
                labels: { le } as LabelValues<T>,
                sharedLabels: series.labels,
                value,
                metricName: bucketName,
                exemplar,
              },
        );
      }
      values.push(
        {
          labels: { ...series.labels } as LabelValues<T>,
          value: series.sum,
          metricName: `${this.name}_sum`,
        },
        {
          labels: { ...series.labels } as LabelValues<T>,
          value: series.count,
          metricName: `${this.name}_count`,
        },
      );
    }
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }

  /** The series for these label values (positional or an object). */
  labels(...values: Array<string | number>): Histogram.Internal<T>;
  labels(labels: LabelValues<T>): Histogram.Internal<T>;
  labels(...args: unknown[]): Histogram.Internal<T> {
    const labels = this.labelArgs(args);
    this.check(labels);
    return new HistogramChild(this, labels);
  }

  /** @internal */
  recordBound(labels: Record<string, unknown>, value: unknown): HistogramSeries {
    return this.record(labels, value);
  }

  /** @internal */
  [WRITE_TEXT](openMetrics: boolean, defaults: StoredLabels | undefined): string {
    const { head, sample } = this.header(openMetrics);
    const bounds = this.upperBounds;
    const leTexts = bounds.map((b) => `${sample}_bucket{le="${b}"`);
    const infText = `${sample}_bucket{le="+Inf"`;
    let out = head;
    for (const series of this.store.series) {
      const own = seriesText(series);
      const extra = extraDefaults(series, defaults);
      // Buckets: le, then defaults the series lacks, then the series labels (prom-client's order).
      const tail = `${extra}${own === '' ? '' : `,${own}`}}`;
      let cumulative = 0;
      const exemplars = series.exemplars;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += series.counts[i]!;
        out += `\n${leTexts[i]}${tail} ${formatValue(cumulative)}`;
        if (openMetrics && exemplars?.[i]) out += exemplarText(exemplars[i]!);
      }
      out += `\n${infText}${tail} ${formatValue(series.count)}`;
      if (openMetrics && exemplars?.[bounds.length]) out += exemplarText(exemplars[bounds.length]!);
      // _sum/_count: defaults the series lacks first, then the series labels (prom-client's order).
      const plain = extra === '' ? own : own === '' ? extra.slice(1) : `${extra.slice(1)},${own}`;
      const braces = plain === '' ? '' : `{${plain}}`;
      out += `\n${sample}_sum${braces} ${formatValue(series.sum)}`;
      out += `\n${sample}_count${braces} ${formatValue(series.count)}`;
    }
    return out;
  }

  /** @internal */
  [TO_FAMILY](defaults: StoredLabels | undefined): HistogramFamily {
    const points: HistogramPoint[] = [];
    for (const series of this.store.series) {
      const counts = series.counts.slice();
      // Values above the top bound are counted only in `count`; the +Inf slot holds them.
      let exemplars: Array<Exemplar | undefined> | undefined;
      if (series.exemplars?.some((e) => e !== null)) {
        exemplars = series.exemplars.map((e) => coreExemplar(e));
      }
      points.push({
        labels: familyLabels(series, defaults),
        labelText: familyLabelText(series, defaults),
        value: {
          bounds: this.bounds,
          counts,
          count: series.count,
          sum: series.sum,
          ...(exemplars === undefined ? {} : { exemplars }),
        },
      });
    }
    return { name: this.name, help: this.help, type: 'histogram', points };
  }
}

function exemplarText(exemplar: ExemplarValue): string {
  return ` # {${labelPairs(exemplar.labelSet)}} ${formatValue(exemplar.value as number)} ${exemplar.timestamp}`;
}

class HistogramChild<T extends string> implements Histogram.Internal<T> {
  private series: HistogramSeries | undefined;
  private generation = -1;

  constructor(
    private readonly metric: Histogram<T>,
    private readonly boundLabels: Record<string, unknown>,
  ) {}

  observe(value: number): void {
    const series = this.series;
    if (
      series !== undefined &&
      this.generation === this.metric.generation &&
      typeof value === 'number' &&
      Number.isFinite(value)
    ) {
      const bounds = this.metric.upperBounds;
      let i = 0;
      while (i < bounds.length && value > bounds[i]!) i++;
      series.counts[i]! += 1;
      series.sum += value;
      series.count += 1;
      return;
    }
    this.series = this.metric.recordBound(this.boundLabels, value);
    this.generation = this.metric.generation;
  }

  startTimer(): (labels?: LabelValues<T>) => number {
    return this.metric.startTimer(this.boundLabels as LabelValues<T>);
  }
}
