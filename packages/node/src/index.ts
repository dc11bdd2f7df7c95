export { acceptsGzip } from './accepts-gzip';
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
export {
  type Pem,
  Service,
  type ServiceOptions,
  type ServiceStartOptions,
  type ServiceTlsOptions,
} from './service';
