import type { LabelValues } from './labels';

export type Charset = 'utf-8';
export type PrometheusMIME = 'text/plain';
export type PrometheusMetricsVersion = '0.0.4';
export type OpenMetricsMIME = 'application/openmetrics-text';
export type OpenMetricsVersion = '1.0.0';
export type PrometheusContentType =
  `${PrometheusMIME}; version=${PrometheusMetricsVersion}; charset=${Charset}`;
export type OpenMetricsContentType =
  `${OpenMetricsMIME}; version=${OpenMetricsVersion}; charset=${Charset}`;
export type RegistryContentType = PrometheusContentType | OpenMetricsContentType;

export const PROMETHEUS_CONTENT_TYPE: PrometheusContentType =
  'text/plain; version=0.0.4; charset=utf-8';
export const OPENMETRICS_CONTENT_TYPE: OpenMetricsContentType =
  'application/openmetrics-text; version=1.0.0; charset=utf-8';

/** How `AggregatorRegistry` combines one metric's values from several workers. */
export type Aggregator = 'omit' | 'sum' | 'first' | 'min' | 'max' | 'average';

/** prom-client's numeric metric type enum (its declarations export it; values are unused). */
export enum MetricType {
  Counter = 0,
  Gauge = 1,
  Histogram = 2,
  Summary = 3,
}

/** A metric's `collect` callback, run before every read; may be async. */
export type CollectFunction<T> = (this: T) => void | Promise<void>;

/** An exemplar as prom-client reports it. */
export interface ExemplarValue {
  labelSet: Record<string, string | number>;
  value: number | null;
  timestamp?: number;
}

export interface MetricValue<T extends string> {
  value: number;
  labels: LabelValues<T>;
}

export type MetricValueWithName<T extends string> = MetricValue<T> & {
  metricName?: string;
  exemplar?: ExemplarValue | null;
};

export interface MetricObject {
  name: string;
  help: string;
  type: string;
  aggregator: Aggregator;
}

export interface MetricObjectWithValues<T extends MetricValue<string>> extends MetricObject {
  values: T[];
}

/** One sample as any registered metric's `get()` may return it. */
export interface SampleLike {
  value: number;
  labels?: Record<string, unknown>;
  sharedLabels?: Record<string, unknown>;
  metricName?: string;
  exemplar?: { labelSet: Record<string, unknown>; value: number | null; timestamp?: number } | null;
  timestamp?: number;
}

/** What a registry reads from a metric: prom-client's `get()` result. */
export interface MetricSnapshot {
  name: string;
  help: string;
  type: string;
  values?: SampleLike[];
  aggregator?: Aggregator | string;
}

/**
 * Anything a registry accepts: this package's metrics, or any object with a `name` and a
 * `get()` (prom-client's own duck type, used by aggregated and hand-written metrics).
 */
export interface RegistrableMetric {
  name: string;
  get(): MetricSnapshot | Promise<MetricSnapshot>;
  getForPromString?(): MetricSnapshot | Promise<MetricSnapshot>;
  reset?(): void;
  type?: string;
  help?: string;
}
