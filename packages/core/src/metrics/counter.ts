import { epochMillis } from '../clock';
import { describeValue, numericStringHint } from '../describe-value';
import { InvalidValueError } from '../errors';
import type { ExemplarArgs, LabelArgs, LabelValues, ValueArgs } from '../labels';
import type { CounterFamily, CounterPoint, Exemplar, Labels } from '../model';
import type { CompiledFinder, FinderState } from '../series/compiled-finder';
import { type LazyFamily, offerColumns } from '../snapshot';
import { BoundChildren, BoundSeries, fitColumn } from './columns';
import { CreatedColumn } from './created-column';
import { checkExemplarCall, makeExemplar } from './exemplar';
import { compiledLookup, Metric, type MetricOptions } from './metric';
import { valueArgsError } from './value-args';

/** A counter's series state, one entry per series index. */
class CounterCells {
  values = new Float64Array(0);
  readonly created = new CreatedColumn();
  exemplars: Array<Exemplar | undefined> | undefined = undefined;

  constructor(readonly metric: string) {}

  add(index: number, value: number, exemplar: Labels | undefined): void {
    if (exemplar !== undefined) {
      // Checked before the value changes: a refused exemplar records nothing.
      const made = makeExemplar(this.metric, exemplar, value);
      if (this.exemplars === undefined) this.exemplars = [];
      this.exemplars[index] = made;
    }
    this.values[index] = this.values[index]! + value;
  }
}

/** What a snapshot copies of a counter's cells. */
interface CounterState {
  readonly values: Float64Array;
  readonly created: CreatedColumn;
  readonly exemplars: Array<Exemplar | undefined> | undefined;
}

/** A bound counter series: what `counter.labels({...})` returns. */
export class CounterChild extends BoundSeries<CounterChild> {
  constructor(
    private readonly cells: CounterCells,
    index: number,
  ) {
    super(index);
  }

  /** Adds `value` (default 1). Negative, NaN and infinite increments throw. */
  inc(value = 1, exemplar?: Labels): void {
    // Most calls: a live series, a valid increment, no exemplar. Kept small so that it
    // inlines into callers; everything else is `incAny`.
    const index = this.index;
    if (index !== -1 && exemplar === undefined && isIncrement(value)) {
      const values = this.cells.values;
      values[index] = values[index]! + value;
      return;
    }
    this.incAny(value, exemplar);
  }

  private incAny(value: number, exemplar: Labels | undefined): void {
    if (!isIncrement(value)) {
      throw badIncrement(this.cells.metric, value);
    }
    if (this.index !== -1) this.cells.add(this.index, value, exemplar);
    else if (this.revive !== undefined) this.live(this.revive).inc(value, exemplar);
  }

  /** Same as `inc`. */
  add(value: number, exemplar?: Labels): void {
    this.inc(value, exemplar);
  }

  /** The series' current value (0 once it was removed). */
  get value(): number {
    const index = this.readIndex();
    return index === -1 ? 0 : this.cells.values[index]!;
  }
}

/** A finite number ≥ 0. */
function isIncrement(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value !== Number.POSITIVE_INFINITY;
}

function badIncrement(metric: string, value: unknown): InvalidValueError {
  return new InvalidValueError(
    `Counter "${metric}": increment must be a finite number ≥ 0, got ${describeValue(value)}${numericStringHint(value)}`,
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
  private readonly cells: CounterCells;
  private readonly finder: CompiledFinder | undefined;
  private readonly finderTable: FinderState | undefined;
  private readonly children = new BoundChildren<CounterChild>();

  constructor(name: string, help: string, options?: MetricOptions<N>) {
    super(name, help, options);
    const lookup = compiledLookup(this);
    this.finder = lookup?.finder;
    this.finderTable = lookup?.table;
    this.cells = new CounterCells(this.name);
    this.ready();
  }

  /** The series of `labels`, from the compiled finder called here (see `compiledLookup`). */
  private target(labels: LabelValues<N> | undefined): number {
    const finder = this.finder;
    if (finder !== undefined && labels !== undefined) {
      const found = finder(labels, this.finderTable!);
      return found >= 0 ? found : this.indexAfterFinder(labels, found);
    }
    return this.indexFor(labels);
  }

  protected initSeries(index: number): void {
    const cells = this.cells;
    cells.values = fitColumn(cells.values, index);
    cells.values[index] = 0;
    cells.created.set(index, epochMillis());
    if (cells.exemplars !== undefined) cells.exemplars[index] = undefined;
  }

  protected dropSeries(index: number): void {
    this.children.drop(index);
  }

  /** Whether the series was incremented: its value moved (an `inc(0)` is not activity). */
  protected override activity(index: number): number {
    return this.cells.values[index]!;
  }

  protected override expireSeries(index: number, revive: () => CounterChild): void {
    this.children.expire(index, revive);
  }

  protected child(index: number): CounterChild {
    return this.children.get(index, (i) => new CounterChild(this.cells, i));
  }

  /** Adds `value` (default 1) to the series of `labels`. */
  inc(...args: ValueArgs<N>): void;
  inc(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') {
      value = labels;
      labels = undefined;
    } else if (labels !== undefined && (typeof labels !== 'object' || labels === null)) {
      throw valueArgsError('Counter', this.name, 'inc', labels, value);
    }
    if (value === undefined) value = 1;
    else if (!isIncrement(value)) {
      throw badIncrement(this.name, value);
    }
    const index = this.target(labels as LabelValues<N> | undefined);
    const values = this.cells.values;
    values[index] = values[index]! + value;
  }

  /** Same as `inc`, with an explicit value. */
  add(...args: ValueArgs<N>): void;
  add(labels?: LabelValues<N> | number, value?: number): void {
    (this.inc as (l?: LabelValues<N> | number, v?: number) => void)(labels, value);
  }

  /**
   * Adds `value` and records an exemplar (e.g. `traceExemplar()`) shown in OpenMetrics and
   * protobuf: `inc`'s arguments with the exemplar last; with `undefined` for the exemplar,
   * only adds. Swapped arguments throw `ArgumentOrderError`.
   */
  incWithExemplar(...args: ExemplarArgs<N>): void;
  incWithExemplar(labels?: unknown, value?: unknown, exemplar?: unknown): void {
    if (typeof labels === 'number') {
      exemplar = value;
      value = labels;
      labels = undefined;
    }
    checkExemplarCall(this.name, 'incWithExemplar', value, exemplar);
    if (!isIncrement(value)) {
      throw badIncrement(this.name, value);
    }
    this.cells.add(
      this.indexFor(labels as LabelValues<N> | undefined),
      value,
      exemplar as Labels | undefined,
    );
  }

  /** The current value of one series, or undefined if it was never touched. */
  get(...args: LabelArgs<N>): number | undefined;
  get(labels?: LabelValues<N>): number | undefined {
    const index = this.peekIndex(labels);
    return index === -1 ? undefined : this.cells.values[index];
  }

  /** Every series with its labels and value. */
  getAll(): Array<{ labels: Labels; value: number }> {
    const out: Array<{ labels: Labels; value: number }> = [];
    this.eachSeries((index, labels) => out.push({ labels, value: this.cells.values[index]! }));
    return out;
  }

  override snapshotFamily(): LazyFamily {
    const taken: { state?: CounterState } = {};
    const family = this.lazyFamily(
      'counter',
      (): CounterState => {
        const { values, created, exemplars } = this.cells;
        taken.state = {
          values: values.slice(),
          created: created.copy(),
          exemplars: exemplars?.slice(),
        };
        return taken.state;
      },
      (state, index, labels, labelText): CounterPoint => {
        const exemplar = state.exemplars?.[index];
        const value = state.values[index]!;
        const created = state.created.seconds(index);
        return exemplar === undefined
          ? { labels, labelText, value, created }
          : { labels, labelText, value, created, exemplar };
      },
    );
    // Without exemplars every point is a plain number: the writers may read the columns.
    const state = taken.state;
    if (state !== undefined && (state.exemplars ?? []).every((e) => e === undefined)) {
      offerColumns(family, state.values, state.created);
    }
    return family;
  }

  collect(): CounterFamily {
    const points: CounterPoint[] = [];
    const { values, created, exemplars } = this.cells;
    this.eachSeries((index, labels, labelText) => {
      const exemplar = exemplars?.[index];
      points.push(
        exemplar === undefined
          ? { labels, labelText, value: values[index]!, created: created.seconds(index) }
          : {
              labels,
              labelText,
              value: values[index]!,
              created: created.seconds(index),
              exemplar,
            },
      );
    });
    return this.snapshot('counter', points);
  }
}
