import { format } from 'node:util';
import type { CounterFamily, CounterPoint } from '@promkit/core';
import { checkExemplarLabels, makeExemplar } from './exemplar';
import { formatValue, labelPairs } from './format';
import { TO_FAMILY, WRITE_TEXT } from './internal';
import { isObject, type LabelValues, type StoredLabels } from './labels';
import {
  BaseMetric,
  braces,
  familyLabels,
  familyLabelText,
  type MetricConfiguration,
} from './metric';
import type { NewSeries, SeriesBase } from './series-store';
import { coreExemplar } from './to-family';
import type { ExemplarValue, MetricObjectWithValues, MetricValue } from './types';

interface CounterSeries extends SeriesBase {
  value: number;
  exemplar?: ExemplarValue | undefined;
}

export interface CounterConfiguration<T extends string> extends MetricConfiguration<T> {
  collect?: (this: Counter<T>) => void | Promise<void>;
}

/** `inc()`'s single-argument form when exemplars are enabled. */
export interface IncreaseDataWithExemplar<T extends string> {
  value?: number;
  labels?: LabelValues<T>;
  exemplarLabels?: LabelValues<string>;
}

export declare namespace Counter {
  /** What `counter.labels(...)` returns. */
  interface Internal {
    inc(value?: number): void;
  }
}

const plainSeries: NewSeries<CounterSeries> = (labels, tailKey) => ({
  labels,
  tailKey,
  text: undefined,
  value: 0,
});

/** A series of a counter with exemplars: its exemplar's field is there from the start. */
const exemplarSeries: NewSeries<CounterSeries> = (labels, tailKey) => ({
  labels,
  tailKey,
  text: undefined,
  value: 0,
  exemplar: undefined,
});

/**
 * prom-client's `Counter`: a value that only goes up.
 *
 * @example
 * const requests = new Counter({ name: 'requests_total', help: 'Requests.', labelNames: ['code'] });
 * requests.inc({ code: 200 });
 * requests.labels('500').inc(2);
 */
export class Counter<T extends string = string> extends BaseMetric<T, CounterSeries> {
  readonly type = 'counter' as const;
  private readonly newSeries = this.enableExemplars ? exemplarSeries : plainSeries;

  constructor(config: CounterConfiguration<T>) {
    super(config);
    this.reset();
    this.registerAll();
  }

  /** Adds `value` (default 1); with exemplars enabled takes `{ labels, value, exemplarLabels }`. */
  inc(labels: LabelValues<T>, value?: number): void;
  inc(value?: number): void;
  inc(incData: IncreaseDataWithExemplar<T>): void;
  inc(labels?: unknown, value?: unknown): void {
    if (this.enableExemplars) {
      this.incWithExemplar(labels as IncreaseDataWithExemplar<T> | undefined);
      return;
    }
    this.add(labels, value);
  }

  private add(labels: unknown, value: unknown): CounterSeries {
    let series: CounterSeries;
    if (isObject(labels)) {
      this.readChecked(labels);
      series = this.store.obtainRead(labels, this.newSeries);
    } else {
      value = labels;
      series = this.store.obtain(EMPTY, this.newSeries);
    }
    series.value += checkIncrement(value);
    return series;
  }

  private incWithExemplar(data: IncreaseDataWithExemplar<T> | undefined): void {
    const labels = data?.labels ?? {};
    const value = data?.value ?? 1;
    const series = this.add(labels, value);
    const exemplarLabels = data?.exemplarLabels;
    if (exemplarLabels === undefined) return;
    checkExemplarLabels(exemplarLabels);
    series.exemplar = makeExemplar(exemplarLabels as Record<string, string>, value || 1);
  }

  /** Drops every series (a counter without labels starts again at 0). */
  reset(): void {
    this.store.clear();
    if (this.labelNames.length === 0) this.store.obtain(EMPTY, this.newSeries);
  }

  async get(): Promise<MetricObjectWithValues<MetricValue<T>>> {
    if (this.collect) await this.collect();
    const values: Array<MetricValue<T> & { exemplar?: ExemplarValue }> = [];
    for (const series of this.store.series) {
      values.push(
        series.exemplar === undefined
          ? { value: series.value, labels: series.labels as LabelValues<T> }
          : {
              value: series.value,
              labels: series.labels as LabelValues<T>,
              exemplar: series.exemplar,
            },
      );
    }
    return {
      help: this.help,
      name: this.name,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }

  /** The series for these label values (positional or an object). */
  labels(...values: Array<string | number>): Counter.Internal;
  labels(labels: LabelValues<T>): Counter.Internal;
  labels(...args: unknown[]): Counter.Internal {
    return new CounterChild(this, this.labelArgs(args));
  }

  /** @internal */
  incBound(labels: Record<string, unknown>, value: unknown): CounterSeries {
    return this.add(labels, value);
  }

  /** @internal */
  [WRITE_TEXT](openMetrics: boolean, defaults: StoredLabels | undefined): string {
    const { head, sample } = this.header(openMetrics);
    let out = head;
    for (const series of this.store.series) {
      out += `\n${sample}${braces(series, defaults)} ${formatValue(series.value)}`;
      const exemplar = series.exemplar;
      if (exemplar !== undefined && openMetrics) {
        out += ` # {${labelPairs(exemplar.labelSet)}} ${formatValue(exemplar.value as number)} ${exemplar.timestamp}`;
      }
    }
    return out;
  }

  /** @internal */
  [TO_FAMILY](defaults: StoredLabels | undefined): CounterFamily {
    const points: CounterPoint[] = [];
    // One shape for every point (optional fields left undefined): no spread per series.
    for (const series of this.store.series) {
      points.push({
        labels: familyLabels(series, defaults),
        labelText: familyLabelText(series, defaults),
        value: series.value,
        exemplar: coreExemplar(series.exemplar),
      });
    }
    return { name: this.name, help: this.help, type: 'counter', points };
  }
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

function checkIncrement(value: unknown): number {
  if (value === undefined || value === null) return 1;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`Value is not a valid number: ${format(value)}`);
  }
  if (value < 0) throw new Error('It is not possible to decrease a counter');
  return value;
}

/** A counter series bound by `labels(...)`: validates on first use, then only adds. */
class CounterChild implements Counter.Internal {
  private series: CounterSeries | undefined;
  private generation = -1;

  constructor(
    private readonly metric: Counter<string>,
    private readonly boundLabels: Record<string, unknown>,
  ) {}

  inc(value?: number): void {
    if (this.series !== undefined && this.generation === this.metric.generation) {
      this.series.value += checkIncrement(value);
      return;
    }
    this.series = this.metric.incBound(this.boundLabels, value);
    this.generation = this.metric.generation;
  }
}
