import { format } from 'node:util';
import type { SummaryFamily, SummaryPoint } from '@promkit/core';
import { formatValue } from './format';
import { TO_FAMILY, WRITE_TEXT } from './internal';
import { isObject, type LabelValues, type StoredLabels } from './labels';
import {
  BaseMetric,
  braces,
  extraDefaults,
  familyLabels,
  familyLabelText,
  type MetricConfiguration,
  seriesText,
} from './metric';
import type { NewSeries, SeriesBase } from './series-store';
import { TimeWindowQuantiles } from './time-window-quantiles';
import { elapsedSeconds } from './timer';
import type { MetricObjectWithValues, MetricValueWithName } from './types';
import { validateLabel } from './validation';

/** prom-client's default quantiles. */
export const DEFAULT_PERCENTILES: readonly number[] = Object.freeze([
  0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999,
]);

interface SummarySeries extends SeriesBase {
  readonly td: TimeWindowQuantiles;
  count: number;
  sum: number;
}

export interface SummaryConfiguration<T extends string> extends MetricConfiguration<T> {
  percentiles?: number[] | readonly number[];
  maxAgeSeconds?: number;
  ageBuckets?: number;
  pruneAgedBuckets?: boolean;
  compressCount?: number;
  collect?: (this: Summary<T>) => void | Promise<void>;
}

export declare namespace Summary {
  /** What `summary.labels(...)` returns. */
  interface Internal<T extends string> {
    observe(value: number): void;
    startTimer(): (labels?: LabelValues<T>) => number;
  }
  interface Config {
    percentiles?: number[];
  }
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * prom-client's `Summary`: quantiles (t-digest, optionally over a sliding window), sum and count.
 *
 * @example
 * const size = new Summary({ name: 'payload_bytes', help: 'Payload size.', percentiles: [0.5, 0.99] });
 * size.observe(512);
 */
export class Summary<T extends string = string> extends BaseMetric<T, SummarySeries> {
  readonly type = 'summary' as const;
  readonly percentiles: readonly number[];
  readonly maxAgeSeconds: number | undefined;
  readonly ageBuckets: number | undefined;
  readonly pruneAgedBuckets: boolean;
  readonly compressCount: number;
  private readonly newSeries: NewSeries<SummarySeries>;

  constructor(config: SummaryConfiguration<T>) {
    super(config, 'quantile');
    this.percentiles = [...(config.percentiles ?? DEFAULT_PERCENTILES)];
    this.maxAgeSeconds = config.maxAgeSeconds;
    this.ageBuckets = config.ageBuckets;
    this.pruneAgedBuckets = config.pruneAgedBuckets ?? false;
    this.compressCount = config.compressCount ?? 1000;
    this.newSeries = (labels, tailKey) => ({
      labels,
      tailKey,
      text: undefined,
      td: new TimeWindowQuantiles(this.maxAgeSeconds, this.ageBuckets),
      count: 0,
      sum: 0,
    });
    if (this.labelNames.length === 0) this.store.obtain(EMPTY, this.newSeries);
    this.registerAll();
  }

  /** Records `value`. */
  observe(value: number): void;
  observe(labels: LabelValues<T>, value: number): void;
  observe(labels: unknown, value?: unknown): void {
    this.record(labels, value);
  }

  private record(labels: unknown, value: unknown): void {
    if (labels === undefined || labels === null) labels = EMPTY;
    if (value === undefined) {
      value = labels;
      labels = EMPTY;
    }
    if (isObject(labels)) this.check(labels);
    else validateLabel(this.labelNames, labels as object);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(`Value is not a valid number: ${format(value)}`);
    }
    const series = this.store.obtain(labels as Record<string, unknown>, this.newSeries);
    series.td.push(value);
    series.count++;
    if (series.count % this.compressCount === 0) series.td.compress();
    series.sum += value;
  }

  /** Starts a timer; the returned function observes the elapsed seconds and returns them. */
  startTimer(labels?: LabelValues<T>): (labels?: LabelValues<T>) => number {
    const start = process.hrtime();
    return (endLabels?: LabelValues<T>) => {
      const value = elapsedSeconds(start);
      this.observe({ ...labels, ...endLabels } as LabelValues<T>, value);
      return value;
    };
  }

  /** Zeroes every series (quantiles, sum and count), keeping the series, as prom-client does. */
  reset(): void {
    for (const series of this.store.series) {
      series.td.reset();
      series.count = 0;
      series.sum = 0;
    }
  }

  /** Series whose window is empty, dropped at read time when `pruneAgedBuckets` is set. */
  private pruned(): SummarySeries[] {
    const live: SummarySeries[] = [];
    for (const series of this.store.series) {
      if (this.pruneAgedBuckets && series.td.size() === 0) this.store.delete(series.labels);
      else live.push(series);
    }
    return live;
  }

  private quantiles(series: SummarySeries): number[] {
    series.td.compress();
    return this.percentiles.map((p) => series.td.percentile(p) || 0);
  }

  async get(): Promise<MetricObjectWithValues<MetricValueWithName<T>>> {
    if (this.collect) await this.collect();
    const values: MetricValueWithName<T>[] = [];
    for (const series of this.pruned()) {
      const quantiles = this.quantiles(series);
      this.percentiles.forEach((quantile, i) => {
        values.push({
          labels: { quantile, ...series.labels } as LabelValues<T>,
          value: quantiles[i]!,
        });
      });
      values.push(
        {
          metricName: `${this.name}_sum`,
          labels: series.labels as LabelValues<T>,
          value: series.sum,
        },
        {
          metricName: `${this.name}_count`,
          labels: series.labels as LabelValues<T>,
          value: series.count,
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
  labels(...values: Array<string | number>): Summary.Internal<T>;
  labels(labels: LabelValues<T>): Summary.Internal<T>;
  labels(...args: unknown[]): Summary.Internal<T> {
    const labels = this.labelArgs(args) as LabelValues<T>;
    this.check(labels);
    return {
      observe: (value: number) => this.observe(labels, value),
      startTimer: () => this.startTimer(labels),
    };
  }

  /** @internal */
  [WRITE_TEXT](openMetrics: boolean, defaults: StoredLabels | undefined): string {
    const { head, sample } = this.header(openMetrics);
    let out = head;
    for (const series of this.pruned()) {
      const quantiles = this.quantiles(series);
      const own = seriesText(series);
      const tail = `${own === '' ? '' : `,${own}`}${extraDefaults(series, defaults)}}`;
      this.percentiles.forEach((quantile, i) => {
        out += `\n${sample}{quantile="${quantile}"${tail} ${formatValue(quantiles[i]!)}`;
      });
      const b = braces(series, defaults);
      out += `\n${sample}_sum${b} ${formatValue(series.sum)}`;
      out += `\n${sample}_count${b} ${formatValue(series.count)}`;
    }
    return out;
  }

  /** @internal */
  [TO_FAMILY](defaults: StoredLabels | undefined): SummaryFamily {
    const points: SummaryPoint[] = [];
    for (const series of this.pruned()) {
      const values = this.quantiles(series);
      points.push({
        labels: familyLabels(series, defaults),
        labelText: familyLabelText(series, defaults),
        value: {
          count: series.count,
          sum: series.sum,
          quantiles: this.percentiles.map((quantile, i) => ({ quantile, value: values[i]! })),
        },
      });
    }
    return { name: this.name, help: this.help, type: 'summary', points };
  }
}
