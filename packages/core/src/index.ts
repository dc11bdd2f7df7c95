export {
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
  decodeProtobuf,
} from './decode/protobuf';
export * from './errors';
export { escapeHelp, escapeLabelValue, formatValue, labelText } from './exposition/escape';
export {
  type ExpositionFormat,
  negotiate,
  OPENMETRICS_FORMAT,
  PROTOBUF_FORMAT,
  TEXT_FORMAT,
} from './exposition/negotiate';
export { encodeOpenMetrics } from './exposition/openmetrics';
export { encodeProtobuf, PROTOBUF_CONTENT_TYPE } from './exposition/protobuf';
export {
  encode,
  type Rendered,
  type RenderedStream,
  type RenderSource,
  render,
  renderStream,
} from './exposition/render';
export { SLICE_SAMPLES, yieldToEventLoop } from './exposition/slices';
export { encodeText } from './exposition/text';
export { createHttpMetrics, type HttpAdapterHooks, HttpMetrics } from './http/http-metrics';
export {
  ABORTED_STATUS,
  DEFAULT_EXCLUDE_PATHS,
  type HttpMetricSelection,
  type HttpMetricsOptions,
  MAX_MATCHED_PATH_LENGTH,
  type MetricToggle,
  type NormalizePath,
  UNKNOWN_PATH,
  UNMATCHED_PATH,
} from './http/http-options';
export {
  INSTRUMENTATION_ERRORS_METRIC,
  type InstrumentationErrorHandler,
  type InstrumentationStage,
} from './http/instrumentation-faults';
export {
  type MetricsAuth,
  type MetricsHandlerOptions,
  type MetricsResponder,
  type MetricsResponse,
  metricsResponder,
} from './http/metrics-response';
export { RequestTracker } from './http/request-tracker';
export { type ClosableResponse, onResponseClose } from './http/response-close';
export type { LabelArgs, LabelValue, LabelValues, ValueArgs } from './labels';
export { DEFAULT_BUCKETS, exponentialBuckets, linearBuckets } from './metrics/buckets';
export type { Invariant } from './metrics/ckms';
export { Counter, CounterChild } from './metrics/counter';
export { Gauge, GaugeChild } from './metrics/gauge';
export {
  Histogram,
  HistogramChild,
  type HistogramOptions,
  type HistogramReading,
} from './metrics/histogram';
export { Info, type InfoOptions } from './metrics/info';
export {
  DEFAULT_MAX_SERIES,
  Metric,
  type MetricOptions,
  ObjectMetric,
  OVERFLOW_LABEL_VALUE,
} from './metrics/metric';
export {
  NativeBuckets,
  type NativeHistogramOptions,
  nativeBucketIndex,
  type ResolvedNativeHistogramOptions,
  resolveNativeHistogramOptions,
} from './metrics/native-histogram';
export {
  StateSet,
  StateSet as Enum,
  StateSetChild,
  type StateSetOptions,
} from './metrics/state-set';
export {
  DEFAULT_INVARIANTS,
  Summary,
  SummaryChild,
  type SummaryOptions,
  type SummaryReading,
} from './metrics/summary';
export type * from './model';
export {
  COLLECTOR_FAILURES_METRIC,
  REGISTRY,
  type Registrable,
  Registry,
  type RegistryOptions,
  SERIES_OVERFLOW_METRIC,
} from './registry';
export type { LazyFamily, SnapshotFamily } from './snapshot';
export { countExceptions, type FunctionWrapper, inprogress, timer } from './wrappers';
