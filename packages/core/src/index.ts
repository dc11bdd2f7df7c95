export { collectFamilies } from './collect';
export {
  ArgumentOrderError,
  CollectError,
  ConfigError,
  createError,
  DuplicateMetricError,
  InvalidNameError,
  InvalidValueError,
  isPromkitError,
  LabelSetError,
  NameCollisionError,
  PromkitError,
  type PromkitErrorClass,
  type PromkitErrorCode,
  ReservedLabelError,
  StoreUnavailableError,
  WireEncodingError,
} from './errors';
export { labelText } from './exposition/escape';
export {
  type EscapingScheme,
  escapeName,
} from './exposition/name-escaping';
export {
  type ExpositionFormat,
  negotiate,
  OPENMETRICS_FORMAT,
  PROTOBUF_FORMAT,
  TEXT_1_0_0_FORMAT,
  TEXT_FORMAT,
} from './exposition/negotiate';
export { encodeOpenMetrics, type OpenMetricsOptions } from './exposition/openmetrics';
export { encodeProtobuf, PROTOBUF_CONTENT_TYPE } from './exposition/protobuf';
export {
  type EncodeOptions,
  encode,
  type Rendered,
  type RenderedStream,
  type RenderOptions,
  render,
  renderStream,
} from './exposition/render';
export { encodeText, type TextWriterOptions } from './exposition/text';
export {
  DEFAULT_EXCLUDE_PATHS,
  type HttpMetricNames,
  type HttpMetricSelection,
  type HttpMetricsOptions,
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
export { type BasicCredentials, basicCredentials, type MetricsAuth } from './http/metrics-auth';
export type { MetricsHandlerOptions } from './http/metrics-response';
export type {
  ExemplarArgs,
  LabelArgs,
  LabelValue,
  LabelValues,
  TimerEnd,
  TimerStartLabels,
  ValueArgs,
} from './labels';
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
  OVERFLOW_LABEL_VALUE,
} from './metrics/metric';
export type { NativeHistogramOptions } from './metrics/native-histogram';
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
export { traceExemplar } from './metrics/trace-exemplar';
export type * from './model';
export {
  COLLECTOR_FAILURES_METRIC,
  REGISTRY,
  Registry,
  type RegistryOptions,
  SERIES_OVERFLOW_METRIC,
} from './registry';
export type { LazyFamily, SnapshotFamily } from './snapshot';
export type { NameValidation } from './validate';
export { withTimeout } from './with-timeout';
export { countExceptions, type FunctionWrapper, inprogress, timer } from './wrappers';
