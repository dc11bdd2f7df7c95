import { epochSeconds, monotonicSeconds } from '../clock';
import { InvalidValueError } from '../errors';
import type { LabelArgs, LabelValues, ValueArgs } from '../labels';
import type { GaugeFamily, GaugePoint, Labels } from '../model';
import { isThenable } from '../thenable';
import { Metric, type MetricOptions } from './metric';

/** A bound gauge series: what `gauge.labels({...})` returns. */
export class GaugeChild {
  value = 0;

  constructor(
    readonly metric: string,
    readonly labels: Labels,
    readonly labelText: string,
  ) {}

  set(value: number): void {
    if (typeof value !== 'number') throw badValue(this.metric, value);
    this.value = value;
  }

  inc(value = 1): void {
    if (typeof value !== 'number') throw badValue(this.metric, value);
    this.value += value;
  }

  dec(value = 1): void {
    if (typeof value !== 'number') throw badValue(this.metric, value);
    this.value -= value;
  }

  add(value: number): void {
    this.inc(value);
  }

  sub(value: number): void {
    this.dec(value);
  }

  setToCurrentTime(): void {
    this.value = epochSeconds();
  }

  /** Starts a timer; calling the returned function sets the gauge to the seconds elapsed. */
  startTimer(): () => number {
    const start = monotonicSeconds();
    return () => {
      const elapsed = monotonicSeconds() - start;
      this.value = elapsed;
      return elapsed;
    };
  }

  /** Increments while `fn` runs (sync or async), decrements when it settles. */
  track<T>(fn: () => T): T {
    this.value += 1;
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.value -= 1;
      throw error;
    }
    if (isThenable(result)) {
      return result.then(
        (v) => {
          this.value -= 1;
          return v;
        },
        (error: unknown) => {
          this.value -= 1;
          throw error;
        },
      ) as T;
    }
    this.value -= 1;
    return result;
  }
}

function badValue(metric: string, value: unknown): InvalidValueError {
  return new InvalidValueError(
    `Gauge "${metric}": value must be a number, got ${typeof value} ${JSON.stringify(value)}`,
  );
}

/**
 * A value that goes up and down.
 *
 * @example
 * const queue = new Gauge('queue_depth', 'Jobs waiting.', { labelNames: ['queue'] as const });
 * queue.set({ queue: 'mail' }, 12);
 */
export class Gauge<N extends string = string> extends Metric<N, GaugeChild> {
  readonly type = 'gauge' as const;

  constructor(name: string, help: string, options?: MetricOptions<N>) {
    super(name, help, options);
    this.ready();
  }

  protected createSeries(labels: Labels, labelText: string): GaugeChild {
    return new GaugeChild(this.name, labels, labelText);
  }

  private target(labels: LabelValues<N> | number | undefined): GaugeChild {
    return this.seriesFor(typeof labels === 'number' ? undefined : labels);
  }

  /** Sets the series of `labels` to `value`. */
  set(...args: ValueArgs<N>): void;
  set(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') value = labels;
    if (typeof value !== 'number') throw badValue(this.name, value);
    this.target(labels).value = value;
  }

  inc(...args: ValueArgs<N>): void;
  inc(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') value = labels;
    else if (value === undefined) value = 1;
    if (typeof value !== 'number') throw badValue(this.name, value);
    this.target(labels).value += value;
  }

  dec(...args: ValueArgs<N>): void;
  dec(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') value = labels;
    else if (value === undefined) value = 1;
    if (typeof value !== 'number') throw badValue(this.name, value);
    this.target(labels).value -= value;
  }

  add(...args: ValueArgs<N>): void;
  add(labels?: LabelValues<N> | number, value?: number): void {
    (this.inc as (l?: LabelValues<N> | number, v?: number) => void)(labels, value);
  }

  sub(...args: ValueArgs<N>): void;
  sub(labels?: LabelValues<N> | number, value?: number): void {
    (this.dec as (l?: LabelValues<N> | number, v?: number) => void)(labels, value);
  }

  /** Sets the series to the current Unix time in seconds. */
  setToCurrentTime(...args: LabelArgs<N>): void;
  setToCurrentTime(labels?: LabelValues<N>): void {
    this.seriesFor(labels).setToCurrentTime();
  }

  /** Starts a timer; the returned function sets the series to the seconds elapsed. */
  startTimer(...args: LabelArgs<N>): () => number;
  startTimer(labels?: LabelValues<N>): () => number {
    return this.seriesFor(labels).startTimer();
  }

  /** Counts `fn` as in progress (sync or async) in the series of `labels`. */
  track<T>(labels: LabelValues<N> | undefined, fn: () => T): T {
    return this.seriesFor(labels).track(fn);
  }

  get(...args: LabelArgs<N>): number | undefined;
  get(labels?: LabelValues<N>): number | undefined {
    return this.peek(labels)?.value;
  }

  getAll(): Array<{ labels: Labels; value: number }> {
    return this.allSeries().map((s) => ({ labels: s.labels, value: s.value }));
  }

  collect(): GaugeFamily {
    const points: GaugePoint[] = [];
    for (const s of this.allSeries()) {
      points.push({ labels: s.labels, labelText: s.labelText, value: s.value });
    }
    return this.snapshot('gauge', points);
  }
}
