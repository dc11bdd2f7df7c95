/**
 * The neutral snapshot model. Metrics and collectors produce `MetricFamily` values;
 * every exposition format only reads them. Nothing here knows about any encoding.
 */

/** Label name → value. Insertion order is exposition order. */
export type Labels = Readonly<Record<string, string>>;

export type MetricType =
  | 'counter'
  | 'gauge'
  | 'histogram'
  | 'summary'
  | 'info'
  | 'stateset'
  | 'untyped';

export interface Exemplar {
  readonly labels: Labels;
  readonly value: number;
  /** Seconds since the Unix epoch. */
  readonly timestamp?: number;
}

interface PointBase {
  /** Every label of the series, const labels included, in exposition order. */
  readonly labels: Labels;
  /**
   * Optional cache of the escaped label text for `labels` without braces
   * (`a="x",b="y\\n"`), as text 0.0.4 and OpenMetrics both escape it. When present
   * it must describe exactly `labels`; writers use it instead of escaping again.
   */
  readonly labelText?: string;
  /** Explicit sample timestamp in milliseconds since the epoch (custom collectors only). */
  readonly timestampMs?: number;
}

export interface CounterPoint extends PointBase {
  readonly value: number;
  /** Seconds since the epoch when the series was created or last reset. */
  readonly created?: number;
  readonly exemplar?: Exemplar;
}

export interface GaugePoint extends PointBase {
  readonly value: number;
}

export interface UntypedPoint extends PointBase {
  readonly value: number;
}

/** One `info` series: its labels are the information, its value is always 1. */
export interface InfoPoint extends PointBase {}

/** One state of a state set. `labels` already contains the `<metric name>=<state>` label. */
export interface StateSetPoint extends PointBase {
  readonly value: 0 | 1;
}

/** Sparse exponential ("native") histogram data, as in io.prometheus.client.Histogram. */
export interface NativeHistogramValue {
  /** Resolution: bucket boundaries are powers of 2^(2^-schema). -4 ≤ schema ≤ 8. */
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly zeroCount: number;
  /** Spans as (offset, length); offset of the first span is the absolute start index. */
  readonly positiveSpans: readonly BucketSpan[];
  /** Per-bucket counts encoded as deltas to the previous bucket (first one absolute). */
  readonly positiveDeltas: readonly number[];
  readonly negativeSpans: readonly BucketSpan[];
  readonly negativeDeltas: readonly number[];
}

export interface BucketSpan {
  readonly offset: number;
  readonly length: number;
}

export interface HistogramValue {
  /** Classic bucket upper bounds, strictly ascending, finite, without `+Inf`. */
  readonly bounds: ArrayLike<number>;
  /**
   * Non-cumulative count per classic bucket; `bounds.length + 1` entries, the last
   * is the `+Inf` bucket. Writers cumulate. Empty for a native-only histogram.
   */
  readonly counts: ArrayLike<number>;
  readonly count: number;
  readonly sum: number;
  /** Optional exemplar per classic bucket index (same indexing as `counts`). */
  readonly exemplars?: ReadonlyArray<Exemplar | undefined>;
  readonly native?: NativeHistogramValue;
}

export interface HistogramPoint extends PointBase {
  readonly value: HistogramValue;
  readonly created?: number;
}

export interface Quantile {
  readonly quantile: number;
  readonly value: number;
}

export interface SummaryValue {
  readonly count: number;
  readonly sum: number;
  readonly quantiles: readonly Quantile[];
}

export interface SummaryPoint extends PointBase {
  readonly value: SummaryValue;
  readonly created?: number;
}

interface FamilyBase<T extends MetricType, P> {
  /**
   * The metric name as the user gave it. Writers derive suffixed sample names
   * (`_total`, `_bucket`, `_info`, …) from it as their format requires.
   */
  readonly name: string;
  readonly help: string;
  readonly type: T;
  /** OpenMetrics unit; when set, `name` ends with `_<unit>`. */
  readonly unit?: string;
  readonly points: readonly P[];
}

export type CounterFamily = FamilyBase<'counter', CounterPoint>;
export type GaugeFamily = FamilyBase<'gauge', GaugePoint>;
export type HistogramFamily = FamilyBase<'histogram', HistogramPoint>;
export type SummaryFamily = FamilyBase<'summary', SummaryPoint>;
export type InfoFamily = FamilyBase<'info', InfoPoint>;
export type StateSetFamily = FamilyBase<'stateset', StateSetPoint>;
export type UntypedFamily = FamilyBase<'untyped', UntypedPoint>;

export type MetricFamily =
  | CounterFamily
  | GaugeFamily
  | HistogramFamily
  | SummaryFamily
  | InfoFamily
  | StateSetFamily
  | UntypedFamily;

/**
 * Anything with `collect()`: metrics, custom collectors and registries alike. A registry
 * registers it, `render` encodes it. `name`, when present, is what a registry looks it up
 * by and names it with in collector-failure metrics.
 */
export interface Collector {
  readonly name?: string;
  collect(): MetricFamily | MetricFamily[] | Promise<MetricFamily | MetricFamily[]>;
}
