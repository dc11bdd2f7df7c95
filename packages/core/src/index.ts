export * from './errors';
export type * from './model';
export { Registry, REGISTRY, type Registrable, type RegistryOptions, COLLECTOR_FAILURES_METRIC, SERIES_OVERFLOW_METRIC } from './registry';
export { Metric, type MetricOptions, type SeriesBase, DEFAULT_MAX_SERIES, OVERFLOW_LABEL_VALUE } from './metrics/metric';
export { Counter, CounterChild } from './metrics/counter';
export { Gauge, GaugeChild } from './metrics/gauge';
export { Histogram, HistogramChild, type HistogramOptions, type HistogramReading } from './metrics/histogram';
export { Summary, SummaryChild, type SummaryOptions, type SummaryReading, DEFAULT_INVARIANTS } from './metrics/summary';
export type { Invariant } from './metrics/ckms';
export { Info, type InfoOptions } from './metrics/info';
export { StateSet, StateSet as Enum, StateSetChild, type StateSetOptions } from './metrics/state-set';
export { DEFAULT_BUCKETS, linearBuckets, exponentialBuckets } from './buckets';
export type { LabelValue, LabelValues, LabelArgs, ValueArgs } from './labels';
export { timer, inprogress, countExceptions, type FunctionWrapper } from './wrappers';
export { escapeLabelValue, labelText, escapeHelp, formatValue } from './encode/escape';
export { encodeOpenMetrics } from './encode/openmetrics';
export { encodeText } from './encode/text';
export {
  type ExpositionFormat,
  negotiate,
  OPENMETRICS_FORMAT,
  PROTOBUF_FORMAT,
  TEXT_FORMAT,
} from './negotiate';
export { encode, type RenderSource, type Rendered, render } from './render';
export { encodeProtobuf, PROTOBUF_CONTENT_TYPE } from './encode/protobuf';
export {
  decodeProtobuf,
  type DecodedBucket,
  type DecodedBucketSpan,
  type DecodedExemplar,
  type DecodedHistogram,
  type DecodedMetric,
  type DecodedMetricFamily,
  type DecodedMetricType,
  type DecodedNativeHistogram,
  type DecodedQuantile,
  type DecodedSummary,
} from './decode/protobuf';
export {
  NativeBuckets,
  type NativeHistogramOptions,
  nativeBucketIndex,
  type ResolvedNativeHistogramOptions,
  resolveNativeHistogramOptions,
} from './native-histogram';
export { createHttpMetrics, type HttpAdapterHooks, HttpMetrics } from './http/http-metrics';
export { RequestTracker } from './http/request-tracker';
export {
  ABORTED_STATUS,
  DEFAULT_EXCLUDE_PATHS,
  type HttpMetricSelection,
  type HttpMetricsOptions,
  MAX_MATCHED_PATH_LENGTH,
  type MetricToggle,
  type NormalizePath,
  UNMATCHED_PATH,
} from './http/http-options';
export {
  type MetricsAuth,
  type MetricsHandlerOptions,
  type MetricsResponder,
  type MetricsResponse,
  metricsResponder,
} from './http/metrics-response';
