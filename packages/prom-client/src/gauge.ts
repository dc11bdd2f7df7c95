import { format } from 'node:util';
import type { GaugeFamily, GaugePoint } from '@promkit/core';
import { formatValue } from './format';
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
import { elapsedSeconds } from './timer';
import type { MetricObjectWithValues, MetricValue } from './types';

interface GaugeSeries extends SeriesBase {
  value: number;
}

export interface GaugeConfiguration<T extends string> extends MetricConfiguration<T> {
  collect?: (this: Gauge<T>) => void | Promise<void>;
}

export declare namespace Gauge {
  /** What `gauge.labels(...)` returns. */
  interface Internal<T extends string> {
    inc(value?: number): void;
    dec(value?: number): void;
    set(value: number): void;
    setToCurrentTime(): void;
    startTimer(): (labels?: LabelValues<T>) => number;
  }
}

const newSeries: NewSeries<GaugeSeries> = (labels, tailKey) => ({
  labels,
  tailKey,
  text: undefined,
  value: 0,
});
const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/**
 * prom-client's `Gauge`: a value that goes up and down.
 *
 * @example
 * const queue = new Gauge({ name: 'queue_depth', help: 'Jobs waiting.', labelNames: ['queue'] });
 * queue.set({ queue: 'mail' }, 4);
 * queue.labels('mail').dec();
 */
export class Gauge<T extends string = string> extends BaseMetric<T, GaugeSeries> {
  readonly type = 'gauge' as const;

  constructor(config: GaugeConfiguration<T>) {
    super(config);
    this.reset();
    this.registerAll();
  }

  /** Sets the value. */
  set(labels: LabelValues<T>, value: number): void;
  set(value: number): void;
  set(labels: unknown, value?: unknown): void {
    if (!isObject(labels)) {
      value = labels;
      labels = EMPTY;
    }
    if (typeof value !== 'number') {
      throw new TypeError(`Value is not a valid number: ${format(value)}`);
    }
    this.readChecked(labels as object);
    this.store.obtainRead(labels as Record<string, unknown>, newSeries).value = value;
  }

  /** Adds `value` (default 1). */
  inc(labels: LabelValues<T>, value?: number): void;
  inc(value?: number): void;
  inc(labels?: unknown, value?: unknown): void {
    this.addDelta(labels, value, 1);
  }

  /** Subtracts `value` (default 1). */
  dec(labels: LabelValues<T>, value?: number): void;
  dec(value?: number): void;
  dec(labels?: unknown, value?: unknown): void {
    this.addDelta(labels, value, -1);
  }

  private addDelta(labels: unknown, value: unknown, sign: 1 | -1): void {
    if (!isObject(labels)) {
      value = labels;
      labels = EMPTY;
    }
    if (value === undefined) value = 1;
    if (typeof value !== 'number') {
      throw new TypeError(`Delta is not a valid number: ${format(value)}`);
    }
    this.readChecked(labels as object);
    this.store.obtainRead(labels as Record<string, unknown>, newSeries).value += sign * value;
  }

  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(labels?: LabelValues<T>): void {
    const now = Date.now() / 1000;
    if (labels === undefined) this.set(now);
    else this.set(labels, now);
  }

  /** Starts a timer; the returned function sets the elapsed seconds and returns them. */
  startTimer(labels?: LabelValues<T>): (labels?: LabelValues<T>) => number {
    const start = process.hrtime();
    return (endLabels?: LabelValues<T>) => {
      const value = elapsedSeconds(start);
      this.set({ ...labels, ...endLabels } as LabelValues<T>, value);
      return value;
    };
  }

  /** Drops every series (a gauge without labels starts again at 0). */
  reset(): void {
    this.store.clear();
    if (this.labelNames.length === 0) this.store.obtain(EMPTY, newSeries);
  }

  async get(): Promise<MetricObjectWithValues<MetricValue<T>>> {
    if (this.collect) await this.collect();
    const values: MetricValue<T>[] = [];
    for (const series of this.store.series) {
      values.push({ value: series.value, labels: series.labels as LabelValues<T> });
    }
    return {
      help: this.help,
      name: this.name,
      type: this.type,
      values,
      aggregator: this.aggregator,
    };
  }

  /** @internal The current value for `labels` (0 when absent), as prom-client's `_getValue`. */
  _getValue(labels?: LabelValues<T>): number {
    return this.store.find((labels ?? EMPTY) as Record<string, unknown>)?.value ?? 0;
  }

  /** The series for these label values (positional or an object). */
  labels(...values: Array<string | number>): Gauge.Internal<T>;
  labels(labels: LabelValues<T>): Gauge.Internal<T>;
  labels(...args: unknown[]): Gauge.Internal<T> {
    const labels = this.labelArgs(args);
    this.check(labels);
    return new GaugeChild(this, labels as LabelValues<T>);
  }

  /** @internal */
  [WRITE_TEXT](openMetrics: boolean, defaults: StoredLabels | undefined): string {
    const { head, sample } = this.header(openMetrics);
    let out = head;
    for (const series of this.store.series) {
      out += `\n${sample}${braces(series, defaults)} ${formatValue(series.value)}`;
    }
    return out;
  }

  /** @internal */
  [TO_FAMILY](defaults: StoredLabels | undefined): GaugeFamily {
    const points: GaugePoint[] = [];
    for (const series of this.store.series) {
      points.push({
        labels: familyLabels(series, defaults),
        labelText: familyLabelText(series, defaults),
        value: series.value,
      });
    }
    return { name: this.name, help: this.help, type: 'gauge', points };
  }
}

class GaugeChild<T extends string> implements Gauge.Internal<T> {
  constructor(
    private readonly metric: Gauge<T>,
    private readonly boundLabels: LabelValues<T>,
  ) {}

  inc(value?: number): void {
    this.metric.inc(this.boundLabels, value);
  }

  dec(value?: number): void {
    this.metric.dec(this.boundLabels, value);
  }

  set(value: number): void {
    this.metric.set(this.boundLabels, value);
  }

  setToCurrentTime(): void {
    this.metric.setToCurrentTime(this.boundLabels);
  }

  startTimer(): (labels?: LabelValues<T>) => number {
    return this.metric.startTimer(this.boundLabels);
  }
}
