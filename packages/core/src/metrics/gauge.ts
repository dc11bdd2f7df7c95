import { epochSeconds, monotonicSeconds } from '../clock';
import type { InvalidValueError } from '../errors';
import type { LabelArgs, LabelValues, ValueArgs } from '../labels';
import type { GaugeFamily, GaugePoint, Labels } from '../model';
import type { CompiledFinder, FinderState } from '../series/compiled-finder';
import { type LazyFamily, offerColumns } from '../snapshot';
import { isThenable } from '../thenable';
import { BoundChildren, BoundSeries, fitColumn } from './columns';
import { compiledLookup, Metric, type MetricOptions } from './metric';
import { childValueError, valueArgsError } from './value-args';

/** A gauge's series values, one entry per series index. */
class GaugeCells {
  values = new Float64Array(0);
  /** Writes per series, kept only with `ttlSeconds` (a gauge set to its value is still alive). */
  writes: Uint32Array | undefined = undefined;

  constructor(readonly metric: string) {}

  wrote(index: number): void {
    const writes = this.writes;
    if (writes !== undefined) writes[index] = writes[index]! + 1;
  }
}

/** A bound gauge series: what `gauge.labels({...})` returns. */
export class GaugeChild extends BoundSeries<GaugeChild> {
  constructor(
    private readonly cells: GaugeCells,
    index: number,
  ) {
    super(index);
  }

  /** The series' current value (0 once it was removed). */
  get value(): number {
    const index = this.readIndex();
    return index === -1 ? 0 : this.cells.values[index]!;
  }

  set(value: number): void {
    if (typeof value !== 'number') throw badValue(this.cells.metric, 'set', value);
    const index = this.index;
    if (index !== -1) {
      this.cells.values[index] = value;
      this.cells.wrote(index);
    } else if (this.revive !== undefined) this.live(this.revive).set(value);
  }

  inc(value = 1): void {
    if (typeof value !== 'number') throw badValue(this.cells.metric, 'inc', value);
    const index = this.index;
    if (index !== -1) {
      this.cells.values[index] = this.cells.values[index]! + value;
      this.cells.wrote(index);
    } else if (this.revive !== undefined) this.live(this.revive).inc(value);
  }

  dec(value = 1): void {
    if (typeof value !== 'number') throw badValue(this.cells.metric, 'dec', value);
    const index = this.index;
    if (index !== -1) {
      this.cells.values[index] = this.cells.values[index]! - value;
      this.cells.wrote(index);
    } else if (this.revive !== undefined) this.live(this.revive).dec(value);
  }

  add(value: number): void {
    this.inc(value);
  }

  sub(value: number): void {
    this.dec(value);
  }

  setToCurrentTime(): void {
    this.set(epochSeconds());
  }

  /** Starts a timer; calling the returned function sets the gauge to the seconds elapsed. */
  startTimer(): () => number {
    const start = monotonicSeconds();
    return () => {
      const elapsed = monotonicSeconds() - start;
      this.set(elapsed);
      return elapsed;
    };
  }

  /** Increments while `fn` runs (sync or async), decrements when it settles. */
  track<T>(fn: () => T): T {
    this.inc();
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.dec();
      throw error;
    }
    if (isThenable(result)) {
      return result.then(
        (v) => {
          this.dec();
          return v;
        },
        (error: unknown) => {
          this.dec();
          throw error;
        },
      ) as T;
    }
    this.dec();
    return result;
  }
}

function badValue(metric: string, method: string, value: unknown): InvalidValueError {
  return childValueError('Gauge', metric, method, 'value must be a number', value);
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
  private readonly cells: GaugeCells;
  private readonly children = new BoundChildren<GaugeChild>();
  private readonly finder: CompiledFinder | undefined;
  private readonly finderTable: FinderState | undefined;

  constructor(name: string, help: string, options?: MetricOptions<N>) {
    super(name, help, options);
    const lookup = compiledLookup(this);
    this.finder = lookup?.finder;
    this.finderTable = lookup?.table;
    this.cells = new GaugeCells(this.name);
    if (this.expires) this.cells.writes = new Uint32Array(16);
    this.ready();
  }

  protected initSeries(index: number): void {
    const cells = this.cells;
    cells.values = fitColumn(cells.values, index);
    cells.values[index] = 0;
    const writes = cells.writes;
    if (writes !== undefined) {
      if (index >= writes.length) {
        const grown = new Uint32Array(Math.max(index + 1, Math.ceil(writes.length * 1.5)));
        grown.set(writes);
        cells.writes = grown;
      } else writes[index] = 0;
    }
  }

  protected dropSeries(index: number): void {
    this.children.drop(index);
  }

  protected override activity(index: number): number {
    return this.cells.writes![index]!;
  }

  protected override expireSeries(index: number, revive: () => GaugeChild): void {
    this.children.expire(index, revive);
  }

  override snapshotFamily(): LazyFamily {
    const taken: { values?: Float64Array } = {};
    const family = this.lazyFamily(
      'gauge',
      () => {
        taken.values = this.cells.values.slice();
        return taken.values;
      },
      (values, index, labels, labelText): GaugePoint => ({
        labels,
        labelText,
        value: values[index]!,
      }),
    );
    if (taken.values !== undefined) offerColumns(family, taken.values, undefined);
    return family;
  }

  protected child(index: number): GaugeChild {
    return this.children.get(index, (i) => new GaugeChild(this.cells, i));
  }

  private target(labels: LabelValues<N> | number | undefined): number {
    const finder = this.finder;
    if (finder !== undefined && typeof labels === 'object' && labels !== null) {
      const found = finder(labels, this.finderTable!);
      return found >= 0 ? found : this.indexAfterFinder(labels, found);
    }
    return this.indexFor(typeof labels === 'number' ? undefined : labels);
  }

  /** Sets the series of `labels` to `value`. */
  set(...args: ValueArgs<N>): void;
  set(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') value = labels;
    else if (typeof value !== 'number')
      throw valueArgsError('Gauge', this.name, 'set', labels, value);
    // The index first: finding it may grow (replace) the column.
    const index = this.target(labels);
    this.cells.values[index] = value;
    this.cells.wrote(index);
  }

  inc(...args: ValueArgs<N>): void;
  inc(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') value = labels;
    else if (labels !== undefined && (typeof labels !== 'object' || labels === null)) {
      throw valueArgsError('Gauge', this.name, 'inc', labels, value);
    } else if (value === undefined) value = 1;
    if (typeof value !== 'number') throw valueArgsError('Gauge', this.name, 'inc', labels, value);
    const index = this.target(labels);
    const values = this.cells.values;
    values[index] = values[index]! + value;
    this.cells.wrote(index);
  }

  dec(...args: ValueArgs<N>): void;
  dec(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') value = labels;
    else if (labels !== undefined && (typeof labels !== 'object' || labels === null)) {
      throw valueArgsError('Gauge', this.name, 'dec', labels, value);
    } else if (value === undefined) value = 1;
    if (typeof value !== 'number') throw valueArgsError('Gauge', this.name, 'dec', labels, value);
    const index = this.target(labels);
    const values = this.cells.values;
    values[index] = values[index]! - value;
    this.cells.wrote(index);
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
    const index = this.indexFor(labels);
    this.cells.values[index] = epochSeconds();
    this.cells.wrote(index);
  }

  /** Starts a timer; the returned function sets the series to the seconds elapsed. */
  startTimer(...args: LabelArgs<N>): () => number;
  startTimer(labels?: LabelValues<N>): () => number {
    return this.child(this.indexFor(labels)).startTimer();
  }

  /** Counts `fn` as in progress (sync or async) in the series of `labels`. */
  track<T>(labels: LabelValues<N> | undefined, fn: () => T): T {
    return this.child(this.indexFor(labels)).track(fn);
  }

  get(...args: LabelArgs<N>): number | undefined;
  get(labels?: LabelValues<N>): number | undefined {
    const index = this.peekIndex(labels);
    return index === -1 ? undefined : this.cells.values[index];
  }

  getAll(): Array<{ labels: Labels; value: number }> {
    const out: Array<{ labels: Labels; value: number }> = [];
    this.eachSeries((index, labels) => out.push({ labels, value: this.cells.values[index]! }));
    return out;
  }

  collect(): GaugeFamily {
    const points: GaugePoint[] = [];
    const values = this.cells.values;
    this.eachSeries((index, labels, labelText) =>
      points.push({ labels, labelText, value: values[index]! }),
    );
    return this.snapshot('gauge', points);
  }
}
