import { labelText } from '../encode/escape';
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
} from '../series-table';
import { validateConstLabels, validateLabelName, validateMetricName } from '../validate';
import { wellFormed } from '../well-formed';

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
}

/** What every series stores: its owned labels and their cached escaped text. */
export interface SeriesBase {
  readonly labels: Labels;
  readonly labelText: string;
}

/**
 * Shared machinery of every metric type: names, label validation, the series map, the
 * cardinality cap and registration. Subclasses add the value operations.
 */
export abstract class Metric<N extends string, S extends SeriesBase> {
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

  private readonly table: SeriesTable<S>;
  private readonly schema: LabelSchema;
  /** The series of `labels === undefined`, once found; dropped with every removal. */
  private unlabelled: S | undefined;
  private readonly registry: Registry | null;
  private overflow: S | undefined;

  constructor(
    name: string,
    help: string,
    options: MetricOptions<N> | undefined,
    reservedLabels: readonly string[] = [],
  ) {
    validateMetricName(name);
    if (typeof help !== 'string') {
      throw new InvalidNameError(`Metric "${name}": help must be a string, got ${typeof help}`);
    }
    this.name = name;
    this.help = wellFormed(help);
    const labelNames = options?.labelNames;
    if (labelNames !== undefined) {
      if (!Array.isArray(labelNames)) {
        throw new ConfigError(`Metric "${name}": labelNames must be an array of strings`);
      }
      for (const label of labelNames) validateLabelName(name, label, reservedLabels);
      if (new Set(labelNames).size !== labelNames.length) {
        throw new ConfigError(
          `Metric "${name}": duplicate label names ${JSON.stringify(labelNames)}`,
        );
      }
    }
    this.labelNames = Object.freeze([...(labelNames ?? [])]);
    this.constLabels = validateConstLabels(name, options?.constLabels ?? {}, reservedLabels);
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
    );
    this.table =
      labelNames === undefined
        ? new AnySeriesTable<S>(this.schema)
        : new DeclaredSeriesTable<S>(this.schema);
    this.registry = options?.registry === undefined ? REGISTRY : options.registry;
  }

  /** Makes the storage of one new series. */
  protected abstract createSeries(labels: Labels, labelText: string): S;
  /** The snapshot of this metric's series for the exposition writers. */
  abstract collect(): MetricFamily;

  /** Finds (or creates) the series for a label object. The hot path of every labelled call. */
  protected seriesFor(labels: LabelValues<N> | undefined): S {
    if (labels === undefined) {
      // `counter.inc()` on a metric without labels: no lookup at all.
      if (this.unlabelled !== undefined) return this.unlabelled;
      this.unlabelled = this.table.find(undefined) ?? this.addSeries(undefined);
      return this.unlabelled;
    }
    const found = this.table.find(labels as RawLabels);
    return found !== undefined ? found : this.addSeries(labels as RawLabels);
  }

  private addSeries(labels: RawLabels | undefined): S {
    const owned = this.schema.owned(labels);
    if (this.table.size >= this.maxSeries) return this.overflowSeries(owned);
    const created = this.createSeries(owned, labelText(owned));
    this.table.insert(labels, created);
    return created;
  }

  private overflowSeries(labels: Labels): S {
    this.overflowCount++;
    if (this.overflow !== undefined) return this.overflow;
    console.warn(
      `promkit: metric "${this.name}" reached maxSeries (${this.maxSeries}); further label sets are recorded in one series labelled "${OVERFLOW_LABEL_VALUE}"`,
    );
    const folded: Record<string, string> = { ...this.constLabels };
    for (const name in labels) if (!(name in this.constLabels)) folded[name] = OVERFLOW_LABEL_VALUE;
    const frozen = Object.freeze(folded);
    this.overflow = this.createSeries(frozen, labelText(frozen));
    return this.overflow;
  }

  /** The series for `labels` if it exists; never creates one. */
  protected peek(labels: LabelValues<N> | undefined): S | undefined {
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

  /** Every series, the overflow series last. */
  protected allSeries(): S[] {
    const out = this.table.values();
    if (this.overflow !== undefined) out.push(this.overflow);
    return out;
  }

  /** The bound series for `labels`: its `inc()`/`set()`/`observe()` skip every lookup. */
  labels(...args: LabelArgs<N>): S;
  labels(labels?: LabelValues<N>): S {
    return this.seriesFor(labels);
  }

  /** Removes one series. Returns whether it existed. */
  remove(labels?: LabelValues<N>): boolean {
    this.generation++;
    this.unlabelled = undefined;
    return this.table.remove(labels as RawLabels | undefined);
  }

  /** Drops every series (their values and created timestamps start again). */
  reset(): void {
    this.generation++;
    this.unlabelled = undefined;
    this.table.clear();
    this.overflow = undefined;
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
    if (this.labelNames.length === 0 && this.schema.names !== undefined) this.seriesFor(undefined);
  }

  /** Number of live series, the overflow series included. */
  get seriesCount(): number {
    return this.table.size + (this.overflow === undefined ? 0 : 1);
  }
}
