import { describeValue } from '../describe-value';
import { ConfigError, InvalidNameError } from '../errors';
import type { LabelArgs, LabelValues } from '../labels';
import type { Labels, MetricFamily, MetricType } from '../model';
import { REGISTRY, type Registry } from '../registry';
import {
  AnySeriesTable,
  DeclaredSeriesTable,
  LabelSchema,
  type RawLabels,
  type SeriesTable,
} from '../series';
import type { CompiledFinder, FinderState } from '../series/compiled-finder';
import { type LazyFamily, recordView, type SnapshotFamily } from '../snapshot';
import {
  ARGUMENT_ORDER_HINT,
  type NameValidation,
  validateConstLabels,
  validateLabelName,
  validateMetricName,
} from '../validate';
import { wellFormed } from '../well-formed';
import { IdleSeries, monotonicClock } from './idle-series';

/** Default cap on series per metric; the excess folds into one overflow series. */
export const DEFAULT_MAX_SERIES = 10_000;
/** The value every label of the overflow series takes. */
export const OVERFLOW_LABEL_VALUE = '__overflow__';

export interface MetricOptions<N extends string = string> {
  /** Declared label names (use `as const` for typed labels). Without them any label set is accepted. */
  readonly labelNames?: readonly N[];
  /** Labels added to every series of this metric. */
  readonly constLabels?: Labels;
  /** Where to register; `null` keeps the metric unregistered. Default: `REGISTRY`. */
  readonly registry?: Registry | null;
  /** OpenMetrics unit; the name must end with `_<unit>`. */
  readonly unit?: string;
  /** Most series kept; further label sets fold into one overflow series. Default 10 000. */
  readonly maxSeries?: number;
  /**
   * Removes a series not updated for this many seconds, at the next collect (scrape), so
   * memory follows the label sets in use. A bound child of a removed series keeps
   * working: its next update records into the series again, from zero. Default: never.
   */
  readonly ttlSeconds?: number;
  /** The clock `ttlSeconds` is measured with, in seconds (for tests). Default: monotonic. */
  readonly clock?: () => number;
}

/** A bound child of an expired series: re-finds its series on its next update. */
export type Reviver<C> = () => C;

/** Fewest seconds between two sweeps that a new label set at `maxSeries` may trigger. */
const MIN_SWEEP_AT_CAP_SECONDS = 1;

/**
 * Shared machinery of every metric type: names, label validation, the series table, the
 * cardinality cap and registration. The table gives each series a small stable index;
 * subclasses keep the series' state at that index and add the value operations. `C` is
 * what `labels()` returns.
 */
export abstract class Metric<N extends string, C> {
  abstract readonly type: MetricType;
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly N[];
  readonly constLabels: Labels;
  readonly unit: string | undefined;
  readonly maxSeries: number;
  /** How many updates went to the overflow series because `maxSeries` was reached. */
  overflowCount = 0;
  /**
   * Moves whenever series may have been dropped (`remove`, `reset`), so whoever caches
   * bound children (`labels()`) knows to fetch them again.
   */
  generation = 0;

  private readonly table: SeriesTable;
  private readonly schema: LabelSchema;
  /** The index of `labels === undefined`, once found; dropped with every removal. */
  private unlabelled = -1;
  private readonly registry: Registry | null;
  /** The names this metric's registry accepts. */
  protected readonly nameValidation: NameValidation;
  /** Index of the series every label set beyond `maxSeries` folds into, or -1. */
  private overflow = -1;
  /** Idle-series expiry, with `ttlSeconds`. */
  private readonly idle: IdleSeries | undefined;

  constructor(
    name: string,
    help: string,
    options: MetricOptions<N> | undefined,
    reservedLabels: readonly string[] = [],
  ) {
    const registry = options?.registry === undefined ? REGISTRY : options.registry;
    const validation = registry?.nameValidation ?? 'legacy';
    validateMetricName(name, validation, new.target.name);
    if (typeof help !== 'string') {
      throw new InvalidNameError(
        `${new.target.name} "${name}": help must be a string, got ${describeValue(help)}: ${ARGUMENT_ORDER_HINT}`,
      );
    }
    this.name = name;
    this.help = wellFormed(help);
    const labelNames = options?.labelNames;
    if (labelNames !== undefined) {
      if (!Array.isArray(labelNames)) {
        throw new ConfigError(`Metric "${name}": labelNames must be an array of strings`);
      }
      for (const label of labelNames) validateLabelName(name, label, reservedLabels, validation);
      if (new Set(labelNames).size !== labelNames.length) {
        throw new ConfigError(
          `Metric "${name}": duplicate label names ${JSON.stringify(labelNames)}`,
        );
      }
    }
    this.labelNames = Object.freeze([...(labelNames ?? [])]);
    this.constLabels = validateConstLabels(
      name,
      options?.constLabels ?? {},
      reservedLabels,
      validation,
    );
    for (const label of this.labelNames) {
      if (label in this.constLabels) {
        throw new ConfigError(`Metric "${name}": label "${label}" is both declared and const`);
      }
    }
    this.unit = options?.unit;
    if (this.unit !== undefined) {
      if (!/^[a-zA-Z0-9_:]+$/.test(this.unit) || !name.endsWith(`_${this.unit}`)) {
        throw new InvalidNameError(
          `Metric "${name}": unit ${JSON.stringify(this.unit)} must be a valid name suffix and the metric name must end with "_${this.unit}"`,
        );
      }
    }
    const maxSeries = options?.maxSeries ?? DEFAULT_MAX_SERIES;
    if (!(maxSeries >= 1)) {
      throw new ConfigError(`Metric "${name}": maxSeries must be ≥ 1, got ${maxSeries}`);
    }
    this.maxSeries = maxSeries;
    this.schema = new LabelSchema(
      name,
      labelNames === undefined ? undefined : this.labelNames,
      this.constLabels,
      reservedLabels,
      validation,
    );
    this.table =
      labelNames === undefined
        ? new AnySeriesTable(this.schema)
        : new DeclaredSeriesTable(this.schema);
    this.registry = registry;
    this.nameValidation = validation;
    const ttl = options?.ttlSeconds;
    if (ttl !== undefined) {
      if (typeof ttl !== 'number' || !(ttl > 0) || ttl === Number.POSITIVE_INFINITY) {
        throw new ConfigError(
          `Metric "${name}": ttlSeconds must be a finite number > 0, got ${JSON.stringify(ttl)}`,
        );
      }
      const clock = options?.clock ?? monotonicClock;
      if (typeof clock !== 'function') {
        throw new ConfigError(`Metric "${name}": clock must be a function returning seconds`);
      }
      this.idle = new IdleSeries(ttl, clock);
    }
  }

  /** Whether series expire (`ttlSeconds`); subclasses then track activity. */
  protected get expires(): boolean {
    return this.idle !== undefined;
  }

  /** A number that changes whenever the series at `index` is updated (for `ttlSeconds`). */
  protected activity(_index: number): number {
    return Number.NaN;
  }

  /**
   * Forgets the state at `index` because it expired. The bound child, if any, is handed
   * `revive`, which finds (or re-creates) its series when it is next updated. Default:
   * `dropSeries`.
   */
  protected expireSeries(index: number, _revive: () => C): void {
    this.dropSeries(index);
  }

  /** Removes the series idle for `ttlSeconds` or longer. */
  protected sweepIdle(): void {
    const idle = this.idle;
    if (idle === undefined || (this.labelNames.length === 0 && this.schema.names !== undefined)) {
      return;
    }
    const table = this.table;
    const expired = idle.sweep(
      (fn) => table.forEach(fn),
      (index) => this.activity(index),
    );
    for (const index of expired) this.expire(index);
  }

  private expire(index: number): void {
    const labels: Record<string, string> = { ...this.table.labelsOf(index) };
    for (const name in this.constLabels) delete labels[name];
    this.table.removeAt(index);
    this.generation++;
    this.unlabelled = -1;
    if (index === this.overflow) this.overflow = -1;
    const revive = (): C => (this.labels as (l?: LabelValues<N>) => C)(labels as LabelValues<N>);
    this.expireSeries(index, revive);
  }

  /** Sets up the state of a new series at `index` (fresh, or freed by a removal). */
  protected abstract initSeries(index: number): void;
  /** Forgets the state at `index` (removed or reset); its bound child stops recording. */
  protected abstract dropSeries(index: number): void;
  /** The bound child of the series at `index`. */
  protected abstract child(index: number): C;
  /** The snapshot of this metric's series for the exposition writers. */
  abstract collect(): MetricFamily;

  /** Finds (or creates) the series index for a label object. The hot path of every labelled call. */
  protected indexFor(labels: LabelValues<N> | undefined): number {
    // `counter.inc()` on a metric without labels: no lookup at all. Kept this small so
    // it inlines into every caller (measured: 5.7 ns per unlabelled inc() otherwise, 2.9).
    return labels === undefined && this.unlabelled !== -1
      ? this.unlabelled
      : this.findOrAdd(labels);
  }

  /**
   * `indexFor` after a metric type's own call of the compiled finder (see `compiledLookup`)
   * answered `answer`: -1 (well-formed, every value interned, no series yet) adds the
   * series at once, `GENERAL` goes the general way. Not `indexFor`: that path would run the
   * finder a second time for every new series, and hold a second inlined copy of it in the
   * methods V8 optimises while most calls add series (bench/README.md, `inc-history.mjs`).
   */
  protected indexAfterFinder(labels: LabelValues<N>, answer: number): number {
    if (answer !== -1) {
      const found = (this.table as DeclaredSeriesTable).findGeneral(labels as RawLabels);
      if (found !== -1) return found;
    }
    return this.addSeries(labels as RawLabels);
  }

  private findOrAdd(labels: LabelValues<N> | undefined): number {
    if (labels === undefined) {
      const found = this.table.find(undefined);
      this.unlabelled = found !== -1 ? found : this.addSeries(undefined);
      return this.unlabelled;
    }
    const found = this.table.find(labels as RawLabels);
    return found !== -1 ? found : this.addSeries(labels as RawLabels);
  }

  private addSeries(labels: RawLabels | undefined): number {
    let real = this.table.size - (this.overflow === -1 ? 0 : 1);
    const idle = this.idle;
    if (
      real >= this.maxSeries &&
      idle !== undefined &&
      idle.clock() - idle.lastSweep >= MIN_SWEEP_AT_CAP_SECONDS
    ) {
      // Idle series make room before anything folds into the overflow series.
      this.sweepIdle();
      real = this.table.size - (this.overflow === -1 ? 0 : 1);
    }
    if (real >= this.maxSeries) return this.overflowSeries(labels);
    const index = this.table.insert(labels);
    this.initSeries(index);
    idle?.added(index);
    return index;
  }

  /** The overflow series: a series of its own whose every label is `__overflow__`. */
  private overflowSeries(labels: RawLabels | undefined): number {
    // Validates the set (and, without declared names, each name) before folding it.
    const owned = this.schema.owned(labels);
    this.overflowCount++;
    if (this.overflow !== -1) return this.overflow;
    console.warn(
      `promkit: metric "${this.name}" reached maxSeries (${this.maxSeries}); further label sets are recorded in one series labelled "${OVERFLOW_LABEL_VALUE}"`,
    );
    const folded: Record<string, string> = {};
    for (const name in owned) if (!(name in this.constLabels)) folded[name] = OVERFLOW_LABEL_VALUE;
    const index = this.table.find(folded);
    this.overflow = index !== -1 ? index : this.table.insert(folded);
    if (index === -1) {
      this.initSeries(this.overflow);
      this.idle?.added(this.overflow);
    }
    return this.overflow;
  }

  /** The series index for `labels` if it exists, else -1; never creates one. */
  protected peekIndex(labels: LabelValues<N> | undefined): number {
    return this.table.find(labels as RawLabels | undefined);
  }

  /** A family snapshot carrying this metric's name, help and unit. */
  protected snapshot<T extends MetricType, P>(
    type: T,
    points: P[],
  ): { name: string; help: string; type: T; points: P[]; unit?: string } {
    return this.unit === undefined
      ? { name: this.name, help: this.help, type, points }
      : { name: this.name, help: this.help, type, unit: this.unit, points };
  }

  /**
   * Calls `fn` for every series with its owned labels and their escaped text, made now:
   * series store neither, so a scrape builds them (what keeps a series to a few tens of bytes).
   */
  protected eachSeries(fn: (index: number, labels: Labels, labelText: string) => void): void {
    this.sweepIdle();
    const table = this.table;
    table.forEach((index) => {
      fn(index, table.labelsOf(index), table.labelTextOf(index));
    });
  }

  /**
   * A snapshot for a scrape: the family with every point made now (`collect()`), or, for
   * metrics whose state is columns of numbers, a lazy family whose points are made slice
   * by slice from a copy of those columns.
   */
  snapshotFamily(): SnapshotFamily {
    return this.collect();
  }

  /**
   * A lazy family over the series live now: `columns()` copies the state it needs (it is
   * called once, now), `point` makes one point from that copy.
   */
  protected lazyFamily<T extends MetricType, S, P>(
    type: T,
    columns: () => S,
    point: (state: S, index: number, labels: Labels, labelText: string) => P,
    samplesPerPoint = 1,
  ): LazyFamily {
    this.sweepIdle();
    const view = this.table.view();
    const state = columns();
    const indices = view.indices;
    const family: LazyFamily = {
      lazy: true,
      head: this.snapshot(type, []) as MetricFamily,
      size: indices.length,
      samplesPerPoint,
      points(from, to) {
        const points: P[] = [];
        for (let i = from; i < to; i++) {
          const index = indices[i]!;
          points.push(point(state, index, view.labelsOf(index), view.labelTextOf(index)));
        }
        return points as unknown as MetricFamily['points'];
      },
    };
    recordView(family, view);
    return family;
  }

  /** The bound series for `labels`: its `inc()`/`set()`/`observe()` skip every lookup. */
  labels(...args: LabelArgs<N>): C;
  labels(labels?: LabelValues<N>): C {
    return this.child(this.indexFor(labels));
  }

  /** Removes one series. Returns whether it existed. */
  remove(labels?: LabelValues<N>): boolean {
    this.generation++;
    this.unlabelled = -1;
    const index = this.table.remove(labels as RawLabels | undefined);
    if (index === -1) return false;
    if (index === this.overflow) this.overflow = -1;
    this.dropSeries(index);
    return true;
  }

  /** Drops every series (their values and created timestamps start again). */
  reset(): void {
    this.generation++;
    this.unlabelled = -1;
    this.table.forEach((index) => {
      this.dropSeries(index);
    });
    this.table.clear();
    this.overflow = -1;
    this.overflowCount = 0;
    this.exposeZeroSeries();
  }

  /**
   * Ends construction; subclasses call it last, once their own options are validated,
   * so a metric that fails validation is never left registered. Registers the metric
   * and, for `labelNames: []`, exposes its single series at 0 so `rate()` sees the
   * first increment.
   */
  protected ready(): void {
    this.registry?.register(this);
    this.exposeZeroSeries();
  }

  private exposeZeroSeries(): void {
    if (this.labelNames.length === 0 && this.schema.names !== undefined) this.indexFor(undefined);
  }

  /** Number of live series, the overflow series included. */
  get seriesCount(): number {
    return this.table.size;
  }
}

/**
 * A metric whose series are objects (histograms, summaries, state sets: each series
 * holds several numbers and its own logic); the object is also the bound child.
 */
export abstract class ObjectMetric<N extends string, S> extends Metric<N, S> {
  private series: Array<S | undefined> = [];
  /** Histograms' and summaries' own call site for their compiled finder (see `compiledLookup`). */
  private readonly lookup = compiledLookup(this);

  /** Makes the state of one new series. */
  protected abstract createSeries(): S;

  protected initSeries(index: number): void {
    this.series[index] = this.createSeries();
  }

  protected dropSeries(index: number): void {
    this.series[index] = undefined;
  }

  protected override activity(index: number): number {
    return this.activityOf(this.series[index]!);
  }

  /** A number that changes whenever `series` is updated (for `ttlSeconds`): its count. */
  protected activityOf(series: S): number {
    const count = (series as { count?: unknown }).count;
    return typeof count === 'number' ? count : Number.NaN;
  }

  protected override expireSeries(index: number, revive: () => S): void {
    (this.series[index] as { expire?: (revive: () => S) => void }).expire?.(revive);
    this.series[index] = undefined;
  }

  protected child(index: number): S {
    return this.series[index]!;
  }

  /** The series object for `labels`, created when new. */
  protected seriesFor(labels: LabelValues<N> | undefined): S {
    const lookup = this.lookup;
    if (lookup !== undefined && typeof labels === 'object' && labels !== null) {
      const found = lookup.finder(labels, lookup.table);
      return this.series[found >= 0 ? found : this.indexAfterFinder(labels, found)]!;
    }
    return this.series[this.indexFor(labels)]!;
  }

  /** The series object for `labels` if it exists; never creates one. */
  protected peek(labels: LabelValues<N> | undefined): S | undefined {
    const index = this.peekIndex(labels);
    return index === -1 ? undefined : this.series[index];
  }

  /** The series objects by index (`undefined` where none is live): for snapshots. */
  protected seriesSlots(): ReadonlyArray<S | undefined> {
    return this.series;
  }

  /** Every series object with its labels and their escaped text, made now. */
  protected eachObject(fn: (series: S, labels: Labels, labelText: string) => void): void {
    this.eachSeries((index, labels, text) => fn(this.series[index]!, labels, text));
  }
}

/**
 * The compiled finder of `metric`'s declared table and the table it reads, or undefined
 * (no declared names, or code cannot be compiled). A metric type calls it from its own
 * hot methods: that call site then sees only the label sets of that type's metrics and
 * V8 inlines the finder there, where the shared `indexFor` path sees every metric's.
 * Any answer but an index (-1: no series yet; `GENERAL`) goes the `indexFor` way.
 */
export function compiledLookup(
  metric: Metric<string, unknown>,
): { finder: CompiledFinder; table: FinderState } | undefined {
  const table = (metric as unknown as { table: SeriesTable }).table;
  if (!(table instanceof DeclaredSeriesTable) || table.compiled === undefined) return undefined;
  return { finder: table.compiled, table };
}
