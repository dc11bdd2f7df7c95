import { epochSeconds } from '../clock';
import { InvalidValueError } from '../errors';
import type { LabelArgs, LabelValues, ValueArgs } from '../labels';
import type { CounterFamily, CounterPoint, Exemplar, Labels } from '../model';
import { makeExemplar } from './exemplar';
import { Metric, type MetricOptions } from './metric';

/** A bound counter series: what `counter.labels({...})` returns. */
export class CounterChild {
  value = 0;
  created: number = epochSeconds();
  exemplar: Exemplar | undefined = undefined;

  constructor(
    readonly metric: string,
    readonly labels: Labels,
    readonly labelText: string,
  ) {}

  /** Adds `value` (default 1). Negative, NaN and infinite increments throw. */
  inc(value = 1, exemplar?: Labels): void {
    if (typeof value !== 'number' || !(value >= 0 && value !== Number.POSITIVE_INFINITY)) {
      throw badIncrement(this.metric, value);
    }
    this.value += value;
    if (exemplar !== undefined) this.exemplar = makeExemplar(this.metric, exemplar, value);
  }

  /** Same as `inc`. */
  add(value: number, exemplar?: Labels): void {
    this.inc(value, exemplar);
  }
}

function badIncrement(metric: string, value: unknown): InvalidValueError {
  return new InvalidValueError(
    `Counter "${metric}": increment must be a finite number ≥ 0, got ${typeof value === 'number' ? value : `${typeof value} ${JSON.stringify(value)}`}`,
  );
}

/**
 * A value that only goes up (and resets on process restart).
 *
 * @example
 * const requests = new Counter('http_requests_total', 'Requests.', { labelNames: ['method'] as const });
 * requests.inc({ method: 'GET' });
 */
export class Counter<N extends string = string> extends Metric<N, CounterChild> {
  readonly type = 'counter' as const;

  constructor(name: string, help: string, options?: MetricOptions<N>) {
    super(name, help, options);
    this.ready();
  }

  protected createSeries(labels: Labels, labelText: string): CounterChild {
    return new CounterChild(this.name, labels, labelText);
  }

  /** Adds `value` (default 1) to the series of `labels`. */
  inc(...args: ValueArgs<N>): void;
  inc(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') {
      value = labels;
      labels = undefined;
    }
    if (value === undefined) value = 1;
    else if (typeof value !== 'number' || !(value >= 0 && value !== Number.POSITIVE_INFINITY)) {
      throw badIncrement(this.name, value);
    }
    this.seriesFor(labels as LabelValues<N> | undefined).value += value;
  }

  /** Same as `inc`, with an explicit value. */
  add(...args: ValueArgs<N>): void;
  add(labels?: LabelValues<N> | number, value?: number): void {
    (this.inc as (l?: LabelValues<N> | number, v?: number) => void)(labels, value);
  }

  /** Adds `value` and records an exemplar (e.g. `{ trace_id }`) shown in OpenMetrics and protobuf. */
  incWithExemplar(labels: LabelValues<N> | undefined, exemplar: Labels, value = 1): void {
    this.seriesFor(labels).inc(value, exemplar);
  }

  /** The current value of one series, or undefined if it was never touched. */
  get(...args: LabelArgs<N>): number | undefined;
  get(labels?: LabelValues<N>): number | undefined {
    return this.peek(labels)?.value;
  }

  /** Every series with its labels and value. */
  getAll(): Array<{ labels: Labels; value: number }> {
    return this.allSeries().map((s) => ({ labels: s.labels, value: s.value }));
  }

  collect(): CounterFamily {
    const points: CounterPoint[] = [];
    for (const s of this.allSeries()) {
      points.push({
        labels: s.labels,
        labelText: s.labelText,
        value: s.value,
        created: s.created,
        ...(s.exemplar === undefined ? {} : { exemplar: s.exemplar }),
      });
    }
    return this.snapshot('counter', points);
  }
}
