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
  metricFamilyType,
} from './decode-protobuf';
export {
  MissingServiceError,
  ServiceApiError,
  ServiceStartError,
  WaitTimeoutError,
} from './errors';
export { collectEscapedErrors } from './escaped-errors';
export { freePort } from './free-port';
export {
  type ConformanceApp,
  type ConformanceAppOptions,
  type ConformanceFactory,
  type ConformanceFamily,
  type ConformanceFixtures,
  type ConformanceMetricsOptions,
  type ConformanceRegistry,
  describeHttpConformance,
  HTTP_CONFORMANCE_CASES,
} from './http-conformance';
export {
  describeHttpFaults,
  type FaultApp,
  type FaultAppOptions,
  type FaultFactory,
  type FaultMetricsOptions,
  type FaultRegistry,
  HTTP_FAULT_CASES,
} from './http-faults';
export {
  describeMetricsEndpointConformance,
  type Endpoint,
  type EndpointConformanceSetup,
  type EndpointFactory,
  type EndpointOptions,
  type EndpointSource,
  METRICS_ENDPOINT_CASES,
} from './metrics-endpoint-conformance';
export { runNodeFixture } from './node-fixture';
export { eventually } from './polling';
export type {
  PromMetricMetadata,
  PromNativeHistogram,
  PromQueryResponse,
  PromTarget,
  PromVectorSample,
} from './prometheus-api';
export { sampleValue } from './prometheus-api';
export type { PrometheusOptions } from './prometheus-config';
export { type PromtoolResult, promtoolCheck } from './promtool-check';
export { redisPing } from './redis-ping';
export { requireBinary } from './require-binary';
export { seededRandom } from './seeded-random';
export { type Served, served } from './served';
export { type ServiceExit, type ServiceProcess, spawnService } from './service-process';
export { type PrometheusHandle, startPrometheus } from './start-prometheus';
export {
  type PushgatewayHandle,
  type PushgatewayOptions,
  startPushgateway,
} from './start-pushgateway';
export { type RedisHandle, startRedis } from './start-redis';
export { startVictoriaMetrics, type VictoriaMetricsHandle } from './start-victoria-metrics';
export { makeTestCerts, type TestCerts } from './test-certs';
export { makeTmpDir, removeTmpDir } from './tmp-dir';
export {
  describeTraceExemplars,
  queryExemplars,
  type TracedApp,
  type TracedAppFactory,
} from './trace-exemplars';
export { type RequestListener, startTracing, type Tracing } from './tracing';
export { httpOk, waitReady } from './wait-ready';
