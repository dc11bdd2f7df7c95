import { epochSeconds, monotonicSeconds } from '../clock';
import { ConfigError, type InvalidValueError } from '../errors';
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
import type { LazyFamily } from '../snapshot';
import { DEFAULT_BUCKETS, resolveBuckets } from './buckets';
import { checkExemplarCall, makeExemplar } from './exemplar';
import { type MetricOptions, ObjectMetric } from './metric';
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

/** A bound histogram series: what `histogram.labels({...})` returns. */
export class HistogramChild {
  /**
   * Set when the series expired (`ttlSeconds`): updates go to the live series of the same
   * labels, found (or re-created) by this function.
   */
  private revive: (() => HistogramChild) | undefined = undefined;
  private forward: HistogramChild | undefined = undefined;

  /** Called by the metric when this series expired. */
  expire(revive: () => HistogramChild): void {
    this.revive = revive;
  }

  private live(revive: () => HistogramChild): HistogramChild {
    let forward = this.forward;
    if (forward === undefined || forward.revive !== undefined) {
      forward = revive();
      this.forward = forward;
    }
    return forward;
  }

  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  created: number = epochSeconds();
  exemplars: Array<Exemplar | undefined> | undefined = undefined;
  readonly native: NativeBuckets | undefined;

  constructor(
    readonly metric: string,
    readonly bounds: Float64Array,
    native: ResolvedNativeHistogramOptions | undefined,
  ) {
    this.counts = new Float64Array(bounds.length === 0 ? 0 : bounds.length + 1);
    this.native = native === undefined ? undefined : new NativeBuckets(native);
  }

  /** Records one observation. NaN and non-numbers throw; ±Inf land in the outer buckets. */
  observe(value: number, exemplar?: Labels): void {
    // Most observations: a live series, a number, no exemplar, a few classic buckets. Kept
    // small so that it inlines into callers; everything else is `observeAny`.
    const bounds = this.bounds;
    const n = bounds.length;
    if (
      this.revive === undefined &&
      exemplar === undefined &&
      this.native === undefined &&
      n !== 0 &&
      n <= LINEAR_SCAN_MAX &&
      typeof value === 'number' &&
      !Number.isNaN(value)
    ) {
      let i = 0;
      while (i < n && value > bounds[i]!) i++;
      this.counts[i]! += 1;
      this.sum += value;
      this.count += 1;
      return;
    }
    this.observeAny(value, exemplar);
  }

  private observeAny(value: number, exemplar: Labels | undefined): void {
    if (this.revive !== undefined) {
      this.live(this.revive).observe(value, exemplar);
      return;
    }
    if (typeof value !== 'number' || Number.isNaN(value)) throw badObservation(this.metric, value);
    const bounds = this.bounds;
    const n = bounds.length;
    if (n !== 0) {
      let i = 0;
      if (n <= LINEAR_SCAN_MAX) {
        while (i < n && value > bounds[i]!) i++;
      } else {
        let hi = n;
        while (i < hi) {
          const mid = (i + hi) >>> 1;
          if (value > bounds[mid]!) i = mid + 1;
          else hi = mid;
        }
      }
      if (exemplar !== undefined) {
        // Checked before any number changes: a refused exemplar records nothing.
        const made = makeExemplar(this.metric, exemplar, value);
        this.exemplars ??= [];
        this.exemplars[i] = made;
      }
      this.counts[i]! += 1;
    }
    this.sum += value;
    this.count += 1;
    if (this.native !== undefined) this.native.observe(value);
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
export class Histogram<N extends string = string> extends ObjectMetric<N, HistogramChild> {
  readonly type = 'histogram' as const;
  /** Classic bucket upper bounds without `+Inf`; empty for a native-only histogram. */
  readonly buckets: readonly number[];
  private readonly bounds: Float64Array;
  private readonly nativeOptions: ResolvedNativeHistogramOptions | undefined;

  constructor(name: string, help: string, options?: HistogramOptions<N>) {
    super(name, help, options, ['le']);
    this.nativeOptions =
      options?.native === undefined
        ? undefined
        : resolveNativeHistogramOptions(name, options.native);
    const requested = options?.buckets ?? (this.nativeOptions === undefined ? DEFAULT_BUCKETS : []);
    this.bounds = resolveBuckets(name, requested);
    if (this.bounds.length === 0 && this.nativeOptions === undefined) {
      throw new ConfigError(`Histogram "${name}": needs at least one bucket (or native buckets)`);
    }
    this.buckets = Object.freeze([...this.bounds]);
    this.ready();
  }

  protected createSeries(): HistogramChild {
    return new HistogramChild(this.name, this.bounds, this.nativeOptions);
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
    this.seriesFor(labels).observe(value);
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
    this.seriesFor(labels as LabelValues<N> | undefined).observe(
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
      this.seriesFor(merged as LabelValues<N> | undefined).observe(elapsed);
      return elapsed;
    };
  }

  /** One series' count, sum and cumulative buckets (keyed by bound, `+Inf` last). */
  get(...args: LabelArgs<N>): HistogramReading | undefined;
  get(labels?: LabelValues<N>): HistogramReading | undefined {
    const s = this.peek(labels);
    return s === undefined ? undefined : reading(s);
  }

  getAll(): Array<{ labels: Labels; value: HistogramReading }> {
    const out: Array<{ labels: Labels; value: HistogramReading }> = [];
    this.eachObject((s, labels) => out.push({ labels, value: reading(s) }));
    return out;
  }

  /**
   * A lazy family over a copy of every series' numbers in flat typed arrays, taken now:
   * one pass of array copies (a few ms at 100 000 series) instead of building 100 000
   * points with their labels in one synchronous stretch; points are made slice by slice.
   */
  override snapshotFamily(): LazyFamily {
    const bounds = this.bounds;
    return this.lazyFamily(
      'histogram',
      () => copyHistograms(this.seriesSlots()),
      (state, index, labels, labelText): HistogramPoint => {
        const width = state.width;
        const extra = state.extras?.get(index);
        return {
          labels,
          labelText,
          created: state.created[index]!,
          value: {
            bounds,
            counts: state.counts.subarray(index * width, (index + 1) * width),
            count: state.totals[index]!,
            sum: state.sums[index]!,
            ...(extra?.exemplars === undefined ? {} : { exemplars: extra.exemplars }),
            ...(extra?.native === undefined ? {} : { native: extra.native }),
          },
        };
      },
      // Buckets (with +Inf), _sum and _count; native buckets weigh about 8 more.
      (bounds.length === 0 ? 0 : bounds.length + 1) +
        2 +
        (this.nativeOptions === undefined ? 0 : 8),
    );
  }

  collect(): HistogramFamily {
    const points: HistogramPoint[] = [];
    this.eachObject((s, labels, labelText) => {
      points.push({
        labels,
        labelText,
        created: s.created,
        value: {
          bounds: this.bounds,
          counts: s.counts.slice(),
          count: s.count,
          sum: s.sum,
          ...(s.exemplars === undefined ? {} : { exemplars: [...s.exemplars] }),
          ...(s.native === undefined ? {} : { native: s.native.snapshot() }),
        },
      });
    });
    return this.snapshot('histogram', points);
  }
}

/** Every live series' numbers, by series index, as of one moment. */
interface HistogramCopy {
  /** Classic bucket counts per series (bounds + 1, or 0 for native-only). */
  readonly width: number;
  readonly counts: Float64Array;
  readonly totals: Float64Array;
  readonly sums: Float64Array;
  readonly created: Float64Array;
  /** Exemplars and native buckets, copied for the series that have them. */
  readonly extras:
    | Map<number, { exemplars?: Array<Exemplar | undefined>; native?: NativeHistogramValue }>
    | undefined;
}

function copyHistograms(series: ReadonlyArray<HistogramChild | undefined>): HistogramCopy {
  const n = series.length;
  let width = 0;
  for (let i = 0; i < n && width === 0; i++) width = series[i]?.counts.length ?? 0;
  const copy = {
    width,
    counts: new Float64Array(n * width),
    totals: new Float64Array(n),
    sums: new Float64Array(n),
    created: new Float64Array(n),
    extras: undefined as HistogramCopy['extras'],
  };
  for (let i = 0; i < n; i++) {
    const s = series[i];
    if (s === undefined) continue;
    if (width !== 0) copy.counts.set(s.counts, i * width);
    copy.totals[i] = s.count;
    copy.sums[i] = s.sum;
    copy.created[i] = s.created;
    if (s.exemplars !== undefined || s.native !== undefined) {
      copy.extras ??= new Map();
      copy.extras.set(i, {
        ...(s.exemplars === undefined ? {} : { exemplars: [...s.exemplars] }),
        ...(s.native === undefined ? {} : { native: s.native.snapshot() }),
      });
    }
  }
  return copy;
}

export interface HistogramReading {
  readonly count: number;
  readonly sum: number;
  /** Cumulative counts by upper bound; the last entry is `+Inf`. */
  readonly buckets: ReadonlyArray<{ readonly le: number; readonly count: number }>;
}

function reading(s: HistogramChild): HistogramReading {
  const buckets: Array<{ le: number; count: number }> = [];
  let cumulative = 0;
  for (let i = 0; i < s.counts.length; i++) {
    cumulative += s.counts[i]!;
    buckets.push({
      le: i < s.bounds.length ? s.bounds[i]! : Number.POSITIVE_INFINITY,
      count: cumulative,
    });
  }
  if (s.counts.length === 0) buckets.push({ le: Number.POSITIVE_INFINITY, count: s.count });
  return { count: s.count, sum: s.sum, buckets };
}
