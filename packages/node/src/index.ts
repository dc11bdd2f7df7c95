export { AGGREGATIONS, type Aggregation } from './aggregate/aggregation';
export { aggregationHints, clearAggregation, setAggregation } from './aggregate/aggregation-hints';
export {
  AGGREGATED_WORKERS_METRIC,
  type AggregatorOptions,
  type MetricsAggregator,
} from './aggregate/aggregator';
export {
  type ClusterAggregatorOptions,
  createClusterAggregator,
  type Exposure,
  exposeToCluster,
} from './aggregate/cluster-aggregator';
export { type MergeOptions, mergeFamilies, type WorkerSnapshot } from './aggregate/merge-families';
export { decodeSnapshot, encodeSnapshot } from './aggregate/snapshot-codec';
export {
  createWorkerAggregator,
  exposeToParentPort,
  type WorkerAggregator,
  type WorkerAggregatorOptions,
} from './aggregate/worker-aggregator';
export {
  AggregationError,
  PushAbortedError,
  PushConnectionError,
  PushError,
  PushTimeoutError,
  ServiceListenError,
  ServiceNotStartedError,
} from './errors';
export { escapeHtml } from './escape-html';
export { type IndexPageInfo, indexPage } from './index-page';
export { PUSH_FORMATS, type PushFormat } from './push-body';
export { groupPath } from './push-url';
export {
  type PeriodicPush,
  type PeriodicPushOptions,
  type PushCallOptions,
  Pusher,
  type PusherOptions,
  type PushMethod,
  type PushResult,
} from './pusher';
export {
  collectDefaultMetrics,
  type DefaultMetrics,
  type DefaultMetricsOptions,
} from './runtime/default-metrics';
export { DEFAULT_GC_DURATION_BUCKETS } from './runtime/gc-duration';
export { Service, type ServiceOptions, type ServiceStartOptions } from './service';
export {
  CLIENT_AUTH_TYPES,
  type ClientAuthType,
  type Pem,
  type ServiceTlsOptions,
} from './service-tls';
