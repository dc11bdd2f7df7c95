import type {
  Counter,
  Gauge,
  Histogram,
  HistogramOptions,
  Info,
  Invariant,
  Labels,
  StateSet,
  Summary,
} from '@promkit/core';

/** The `type` values `createMetrics` accepts; `enum` and `stateset` are the same kind. */
export const METRIC_TYPES = [
  'counter',
  'enum',
  'gauge',
  'histogram',
  'info',
  'stateset',
  'summary',
] as const;
export type MetricTypeName = (typeof METRIC_TYPES)[number];

/** Type-specific settings; which keys a type accepts is listed in `CONFIG_KEYS`. */
export interface MetricSettings {
  readonly unit?: string;
  readonly constLabels?: Labels;
  readonly maxSeries?: number;
  /** histogram: classic bucket upper bounds. */
  readonly buckets?: readonly number[];
  /** histogram: native (sparse exponential) buckets. */
  readonly native?: HistogramOptions['native'];
  /** summary: targeted quantiles `[[quantile, error], …]`. */
  readonly invariants?: readonly Invariant[];
  readonly maxAgeSeconds?: number;
  readonly ageBuckets?: number;
  /** enum / stateset: every possible state (required). */
  readonly states?: readonly string[];
}

/**
 * One metric for `createMetrics`, as prometheus-aioexporter's `MetricConfig`.
 *
 * @example
 * { name: 'queue_depth', description: 'Jobs waiting.', type: 'gauge', labels: ['queue'] }
 */
export interface MetricConfig {
  readonly name: string;
  readonly description: string;
  readonly type: MetricTypeName;
  readonly labels?: readonly string[];
  readonly config?: MetricSettings;
}

const COMMON_KEYS = ['constLabels', 'maxSeries', 'unit'] as const;

/** The `config` keys each type accepts. */
export const CONFIG_KEYS: Readonly<Record<MetricTypeName, readonly (keyof MetricSettings)[]>> = {
  counter: COMMON_KEYS,
  gauge: COMMON_KEYS,
  histogram: ['buckets', ...COMMON_KEYS, 'native'],
  summary: ['ageBuckets', ...COMMON_KEYS, 'invariants', 'maxAgeSeconds'],
  info: ['constLabels'],
  enum: [...COMMON_KEYS, 'states'],
  stateset: [...COMMON_KEYS, 'states'],
};

/** Any metric `createMetrics` makes. */
export type ExporterMetric =
  | Counter<string>
  | Gauge<string>
  | Histogram<string>
  | Summary<string>
  | Info
  | StateSet<string, string>;

type LabelNamesOf<C> = C extends { readonly labels: readonly (infer L extends string)[] }
  ? L
  : never;
type StatesOf<C> = C extends {
  readonly config: { readonly states: readonly (infer S extends string)[] };
}
  ? S
  : string;

/** The metric class a config makes, with its label names (and states) typed. */
export type MetricFor<C extends MetricConfig> = C['type'] extends 'counter'
  ? Counter<LabelNamesOf<C>>
  : C['type'] extends 'gauge'
    ? Gauge<LabelNamesOf<C>>
    : C['type'] extends 'histogram'
      ? Histogram<LabelNamesOf<C>>
      : C['type'] extends 'summary'
        ? Summary<LabelNamesOf<C>>
        : C['type'] extends 'info'
          ? Info
          : StateSet<StatesOf<C>, LabelNamesOf<C>>;

/** What `createMetrics(configs)` returns: each config's metric under its name. */
export type MetricsOf<C extends readonly MetricConfig[]> = {
  readonly [M in C[number] as M['name']]: MetricFor<M>;
};
