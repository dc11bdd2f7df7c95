export { collectFamilies } from './collect';
export {
  CollectError,
  ConfigError,
  createError,
  DuplicateMetricError,
  InvalidNameError,
  InvalidValueError,
  isPromkitError,
  LabelSetError,
  PromkitError,
  type PromkitErrorClass,
  type PromkitErrorCode,
  ReservedLabelError,
  StoreUnavailableError,
} from './errors';
export { labelText } from './exposition/escape';
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
  render,
  renderStream,
} from './exposition/render';
export { encodeText } from './exposition/text';
export {
  DEFAULT_EXCLUDE_PATHS,
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
export type { MetricsAuth, MetricsHandlerOptions } from './http/metrics-response';
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
export type * from './model';
export {
  COLLECTOR_FAILURES_METRIC,
  REGISTRY,
  Registry,
  type RegistryOptions,
  SERIES_OVERFLOW_METRIC,
} from './registry';
export type { LazyFamily, SnapshotFamily } from './snapshot';
export { countExceptions, type FunctionWrapper, inprogress, timer } from './wrappers';
