import { epochMillis, monotonicSeconds } from '../clock';
import { ConfigError, type InvalidValueError } from '../errors';
import { grownLength } from '../growth';
import type {
  ExemplarArgs,
  LabelArgs,
  LabelValue,
  LabelValues,
  TimerEnd,
  TimerStartLabels,
  ValueArgs,
} from '../labels';
import type {
  Exemplar,
  HistogramFamily,
  HistogramPoint,
  Labels,
  NativeHistogramValue,
} from '../model';
import type { CompiledFinder, FinderState } from '../series/compiled-finder';
import type { LazyFamily } from '../snapshot';
import { DEFAULT_BUCKETS, resolveBuckets } from './buckets';
import { BoundChildren, BoundSeries } from './columns';
import { CreatedColumn } from './created-column';
import { checkExemplarCall, makeExemplar } from './exemplar';
import { compiledLookup, Metric, type MetricOptions } from './metric';
import {
  NativeBuckets,
  type NativeHistogramOptions,
  type ResolvedNativeHistogramOptions,
  resolveNativeHistogramOptions,
} from './native-histogram';
import { childValueError, valueArgsError } from './value-args';

export interface HistogramOptions<N extends string = string> extends MetricOptions<N> {
  /** Classic bucket upper bounds (no `+Inf` needed). Default `DEFAULT_BUCKETS`, or none when only `native` is given. */
  readonly buckets?: readonly number[];
  /** Sparse exponential ("native") buckets, exposed in protobuf. `true` takes the defaults. */
  readonly native?: NativeHistogramOptions | true;
}

/** Above this many bounds a binary search beats a linear scan. */
const LINEAR_SCAN_MAX = 16;

/**
 * A histogram's series state in one `Float64Array` of rows, one row per series index:
 * `width` bucket counts (bounds + 1, or none for a native-only histogram), then the sum,
 * then the count (`stride` = width + 2); the created times in a column beside it. Shared
 * by every series, where an object per series with its own `Float64Array` cost ~400 B a
 * series (the array's buffer, its backing store, the boxed numbers). One array, so an
 * observation loads one column. Exemplars and native buckets, when used, are kept per
 * series beside them.
 */
class HistogramCells {
  rows = new Float64Array(0);
  readonly created = new CreatedColumn();
  /** Per series, the exemplar of each bucket; made on the first exemplar. */
  exemplars: Array<Array<Exemplar | undefined> | undefined> | undefined = undefined;
  /** Per series, its native buckets (only when the histogram has them). */
  readonly natives: Array<NativeBuckets | undefined> | undefined;
  /** Bucket counts a row holds. */
  readonly width: number;
  /** Numbers a row holds: the buckets, the sum, the count. */
  readonly stride: number;
  /**
   * The bounds when an observation takes the inlined path (`observeSimple`): classic
   * buckets only, few enough for a linear scan. Undefined otherwise.
   */
  readonly simpleBounds: Float64Array | undefined;

  constructor(
    readonly metric: string,
    readonly bounds: Float64Array,
    readonly native: ResolvedNativeHistogramOptions | undefined,
  ) {
    this.width = bounds.length === 0 ? 0 : bounds.length + 1;
    this.stride = this.width + 2;
    this.natives = native === undefined ? undefined : [];
    const n = bounds.length;
    this.simpleBounds =
      native === undefined && n !== 0 && n <= LINEAR_SCAN_MAX ? bounds : undefined;
  }

  /** A zeroed row for a new series at `index` (fresh, or freed by a removal). */
  init(index: number): void {
    const stride = this.stride;
    this.rows = fitRows(this.rows, index, stride);
    this.rows.fill(0, index * stride, (index + 1) * stride);
    this.created.set(index, epochMillis());
    if (this.exemplars !== undefined) this.exemplars[index] = undefined;
    if (this.natives !== undefined) this.natives[index] = new NativeBuckets(this.native!);
  }

  /** Lets go of what a removed series kept besides its numbers. */
  drop(index: number): void {
    if (this.exemplars !== undefined) this.exemplars[index] = undefined;
    if (this.natives !== undefined) this.natives[index] = undefined;
  }

  count(index: number): number {
    return this.rows[(index + 1) * this.stride - 1]!;
  }

  sum(index: number): number {
    return this.rows[(index + 1) * this.stride - 2]!;
  }

  /**
   * Records `value` (checked: a number, not NaN) in the series at `index`, with an
   * exemplar on its bucket when given. The common case (a few classic buckets, no
   * exemplar, no native buckets) takes `observeSimple` instead, from `Histogram.observe`
   * and `HistogramChild.observe`; this is every case.
   */
  observe(index: number, value: number, exemplar: Labels | undefined): void {
    const bounds = this.bounds;
    const base = index * this.stride;
    const rows = this.rows;
    if (bounds.length !== 0) {
      const i = bucketOf(bounds, value);
      if (exemplar !== undefined) {
        // Checked before any number changes: a refused exemplar records nothing.
        const made = makeExemplar(this.metric, exemplar, value);
        this.exemplars ??= [];
        const row = this.exemplars[index] ?? [];
        row[i] = made;
        this.exemplars[index] = row;
      }
      rows[base + i]! += 1;
    }
    rows[base + this.width]! += value;
    rows[base + this.width + 1]! += 1;
    if (this.natives !== undefined) this.natives[index]!.observe(value);
  }
}

/** The bucket `value` lands in: the first bound ≥ it, or `bounds.length` (+Inf). */
function bucketOf(bounds: Float64Array, value: number): number {
  const n = bounds.length;
  let i = 0;
  if (n <= LINEAR_SCAN_MAX) {
    while (i < n && value > bounds[i]!) i++;
    return i;
  }
  let hi = n;
  while (i < hi) {
    const mid = (i + hi) >>> 1;
    if (value > bounds[mid]!) i = mid + 1;
    else hi = mid;
  }
  return i;
}

/** Rows of `stride` numbers, one per series index. Returns `rows` itself when it fits. */
function fitRows(
  rows: Float64Array<ArrayBuffer>,
  index: number,
  stride: number,
): Float64Array<ArrayBuffer> {
  if ((index + 1) * stride <= rows.length) return rows;
  const grown = new Float64Array(grownLength(rows.length / stride, index + 1) * stride);
  grown.set(rows);
  return grown;
}

/**
 * Records `value` in the row at `base` of a histogram with a few classic bounds only (see
 * `HistogramCells.simpleBounds`): a row of `bounds.length + 1` buckets, the sum, the
 * count. Small, so that V8 inlines it into both observe paths.
 */
function observeSimple(
  rows: Float64Array,
  base: number,
  bounds: Float64Array,
  value: number,
): void {
  const n = bounds.length;
  let i = 0;
  while (i < n && value > bounds[i]!) i++;
  rows[base + i]! += 1;
  rows[base + n + 1]! += value;
  rows[base + n + 2]! += 1;
}

/** A bound histogram series: what `histogram.labels({...})` returns. */
export class HistogramChild extends BoundSeries<HistogramChild> {
  /** Where its row starts in `cells.rows`. */
  private readonly base: number;

  constructor(
    private readonly cells: HistogramCells,
    index: number,
  ) {
    super(index);
    this.base = index * cells.stride;
  }

  /** Records one observation. NaN and non-numbers throw; ±Inf land in the outer buckets. */
  observe(value: number, exemplar?: Labels): void {
    // Most observations: a live series, a number, no exemplar, a few classic buckets. Kept
    // small so that it inlines into callers; everything else is `observeAny`.
    const bounds = this.cells.simpleBounds;
    if (
      this.index !== -1 &&
      bounds !== undefined &&
      exemplar === undefined &&
      typeof value === 'number' &&
      !Number.isNaN(value)
    ) {
      observeSimple(this.cells.rows, this.base, bounds, value);
      return;
    }
    this.observeAny(value, exemplar);
  }

  private observeAny(value: number, exemplar: Labels | undefined): void {
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw badObservation(this.cells.metric, value);
    }
    if (this.index !== -1) this.cells.observe(this.index, value, exemplar);
    else if (this.revive !== undefined) this.live(this.revive).observe(value, exemplar);
  }

  /** Observations so far (0 once the series was removed). */
  get count(): number {
    const index = this.readIndex();
    return index === -1 ? 0 : this.cells.count(index);
  }

  /** Sum of the observations so far (0 once the series was removed). */
  get sum(): number {
    const index = this.readIndex();
    return index === -1 ? 0 : this.cells.sum(index);
  }

  /** Starts a timer; calling the returned function observes the seconds elapsed. */
  startTimer(): () => number {
    const start = monotonicSeconds();
    return () => {
      const elapsed = monotonicSeconds() - start;
      this.observe(elapsed);
      return elapsed;
    };
  }
}

function badObservation(metric: string, value: unknown): InvalidValueError {
  return childValueError('Histogram', metric, 'observe', 'value must be a number (not NaN)', value);
}

/**
 * Counts observations into buckets: classic (fixed bounds), native (sparse
 * exponential, exposed in protobuf), or both.
 *
 * @example
 * const latency = new Histogram('job_duration_seconds', 'Job time.', { buckets: [0.1, 1, 10] });
 * const end = latency.startTimer();
 * await runJob();
 * end();
 */
export class Histogram<N extends string = string> extends Metric<N, HistogramChild> {
  readonly type = 'histogram' as const;
  /** Classic bucket upper bounds without `+Inf`; empty for a native-only histogram. */
  readonly buckets: readonly number[];
  private readonly cells: HistogramCells;
  private readonly finder: CompiledFinder | undefined;
  private readonly finderTable: FinderState | undefined;
  private readonly children = new BoundChildren<HistogramChild>();

  constructor(name: string, help: string, options?: HistogramOptions<N>) {
    super(name, help, options, ['le']);
    const nativeOptions =
      options?.native === undefined
        ? undefined
        : resolveNativeHistogramOptions(name, options.native);
    const requested = options?.buckets ?? (nativeOptions === undefined ? DEFAULT_BUCKETS : []);
    const bounds = resolveBuckets(name, requested);
    if (bounds.length === 0 && nativeOptions === undefined) {
      throw new ConfigError(`Histogram "${name}": needs at least one bucket (or native buckets)`);
    }
    this.buckets = Object.freeze([...bounds]);
    this.cells = new HistogramCells(this.name, bounds, nativeOptions);
    const lookup = compiledLookup(this);
    this.finder = lookup?.finder;
    this.finderTable = lookup?.table;
    this.ready();
  }

  /** The series of `labels`, from the compiled finder called here (see `compiledLookup`). */
  private target(labels: LabelValues<N> | undefined): number {
    const finder = this.finder;
    if (finder !== undefined && typeof labels === 'object' && labels !== null) {
      const found = finder(labels, this.finderTable!);
      return found >= 0 ? found : this.indexAfterFinder(labels, found);
    }
    return this.indexFor(labels);
  }

  protected initSeries(index: number): void {
    this.cells.init(index);
  }

  protected dropSeries(index: number): void {
    this.cells.drop(index);
    this.children.drop(index);
  }

  /** Whether the series was observed: its count moved. */
  protected override activity(index: number): number {
    return this.cells.count(index);
  }

  protected override expireSeries(index: number, revive: () => HistogramChild): void {
    this.cells.drop(index);
    this.children.expire(index, revive);
  }

  protected child(index: number): HistogramChild {
    return this.children.get(index, (i) => new HistogramChild(this.cells, i));
  }

  /** Records `value` in the series of `labels`. */
  observe(...args: ValueArgs<N>): void;
  observe(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') {
      value = labels;
      labels = undefined;
    } else if (typeof value !== 'number') {
      throw valueArgsError('Histogram', this.name, 'observe', labels, value);
    }
    // Refused before the lookup: a bad value makes no series.
    if (Number.isNaN(value)) throw badObservation(this.name, value);
    const index = this.target(labels);
    const cells = this.cells;
    const bounds = cells.simpleBounds;
    if (bounds !== undefined) observeSimple(cells.rows, index * cells.stride, bounds, value);
    else cells.observe(index, value, undefined);
  }

  /**
   * Records `value` with an exemplar (e.g. `traceExemplar()`) on the bucket it lands in:
   * `observe`'s arguments with the exemplar last; with `undefined` for the exemplar, only
   * records. Swapped arguments throw `ArgumentOrderError`.
   */
  observeWithExemplar(...args: ExemplarArgs<N>): void;
  observeWithExemplar(labels?: unknown, value?: unknown, exemplar?: unknown): void {
    if (typeof labels === 'number') {
      exemplar = value;
      value = labels;
      labels = undefined;
    }
    checkExemplarCall(this.name, 'observeWithExemplar', value, exemplar);
    if (typeof value !== 'number' || Number.isNaN(value)) throw badObservation(this.name, value);
    this.cells.observe(
      this.indexFor(labels as LabelValues<N> | undefined),
      value,
      exemplar as Labels | undefined,
    );
  }

  /**
   * Starts a timer. The returned function observes the elapsed seconds; labels given to
   * it are merged over the start labels (useful for a status known only at the end).
   * With declared `labelNames`, `end()` requires the labels the start left out.
   */
  startTimer<G extends Partial<LabelValues<N>> = Record<never, never>>(
    labels?: TimerStartLabels<N, G>,
  ): TimerEnd<N, keyof G & string>;
  startTimer(labels?: Partial<LabelValues<N>>): unknown {
    const start = monotonicSeconds();
    return (endLabels?: Partial<LabelValues<N>>): number => {
      const elapsed = monotonicSeconds() - start;
      const merged =
        endLabels === undefined
          ? labels
          : ({ ...labels, ...endLabels } as Record<string, LabelValue>);
      this.cells.observe(this.indexFor(merged as LabelValues<N> | undefined), elapsed, undefined);
      return elapsed;
    };
  }

  /** One series' count, sum and cumulative buckets (keyed by bound, `+Inf` last). */
  get(...args: LabelArgs<N>): HistogramReading | undefined;
  get(labels?: LabelValues<N>): HistogramReading | undefined {
    const index = this.peekIndex(labels);
    return index === -1 ? undefined : reading(this.cells, index);
  }

  getAll(): Array<{ labels: Labels; value: HistogramReading }> {
    const out: Array<{ labels: Labels; value: HistogramReading }> = [];
    this.eachSeries((index, labels) => out.push({ labels, value: reading(this.cells, index) }));
    return out;
  }

  /**
   * A lazy family over a copy of the columns, taken now: a few array copies instead of
   * building 100 000 points with their labels in one synchronous stretch; points are made
   * slice by slice.
   */
  override snapshotFamily(): LazyFamily {
    const { bounds, width, stride } = this.cells;
    return this.lazyFamily(
      'histogram',
      () => copyCells(this.cells),
      (state, index, labels, labelText): HistogramPoint => {
        const exemplars = state.exemplars?.[index];
        const native = state.natives?.[index];
        const base = index * stride;
        return {
          labels,
          labelText,
          created: state.created.seconds(index),
          value: {
            bounds,
            counts: state.rows.subarray(base, base + width),
            count: state.rows[base + width + 1]!,
            sum: state.rows[base + width]!,
            ...(exemplars === undefined ? {} : { exemplars }),
            ...(native === undefined ? {} : { native }),
          },
        };
      },
      // Buckets (with +Inf), _sum and _count; native buckets weigh about 8 more.
      width + 2 + (this.cells.native === undefined ? 0 : 8),
    );
  }

  collect(): HistogramFamily {
    const points: HistogramPoint[] = [];
    const cells = this.cells;
    const { width, stride } = cells;
    this.eachSeries((index, labels, labelText) => {
      const exemplars = cells.exemplars?.[index];
      const native = cells.natives?.[index];
      const base = index * stride;
      points.push({
        labels,
        labelText,
        created: cells.created.seconds(index),
        value: {
          bounds: cells.bounds,
          counts: cells.rows.slice(base, base + width),
          count: cells.count(index),
          sum: cells.sum(index),
          ...(exemplars === undefined ? {} : { exemplars: [...exemplars] }),
          ...(native === undefined ? {} : { native: native.snapshot() }),
        },
      });
    });
    return this.snapshot('histogram', points);
  }
}

/** Every series' numbers, by series index, as of one moment. */
interface HistogramCopy {
  /** The rows: buckets, sum, count per series. */
  readonly rows: Float64Array;
  readonly created: CreatedColumn;
  /** Per series, a copy of its bucket exemplars (only where it has any). */
  readonly exemplars: Array<Array<Exemplar | undefined> | undefined> | undefined;
  /** Per series, its native buckets as of now. */
  readonly natives: Array<NativeHistogramValue | undefined> | undefined;
}

function copyCells(cells: HistogramCells): HistogramCopy {
  const natives = cells.natives;
  return {
    rows: cells.rows.slice(),
    created: cells.created.copy(),
    exemplars: cells.exemplars?.map((row) => (row === undefined ? undefined : [...row])),
    natives: natives?.map((native) => native?.snapshot()),
  };
}

export interface HistogramReading {
  readonly count: number;
  readonly sum: number;
  /** Cumulative counts by upper bound; the last entry is `+Inf`. */
  readonly buckets: ReadonlyArray<{ readonly le: number; readonly count: number }>;
}

function reading(cells: HistogramCells, index: number): HistogramReading {
  const buckets: Array<{ le: number; count: number }> = [];
  const { bounds, width, rows } = cells;
  const base = index * cells.stride;
  let cumulative = 0;
  for (let i = 0; i < width; i++) {
    cumulative += rows[base + i]!;
    buckets.push({
      le: i < bounds.length ? bounds[i]! : Number.POSITIVE_INFINITY,
      count: cumulative,
    });
  }
  const count = cells.count(index);
  if (width === 0) buckets.push({ le: Number.POSITIVE_INFINITY, count });
  return { count, sum: cells.sum(index), buckets };
}
