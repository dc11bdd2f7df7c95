// @promkit/core/http: what an adapter author needs beyond the root entry point. Users
// configure adapters with the option types the root entry exports.
export { createHttpMetrics, type HttpAdapterHooks, HttpMetrics } from './http/http-metrics';
export { ABORTED_STATUS, MAX_MATCHED_PATH_LENGTH } from './http/http-options';
export {
  type MetricsBody,
  type MetricsRequest,
  type MetricsResponder,
  type MetricsResponse,
  metricsResponder,
} from './http/metrics-response';
export { RequestTracker } from './http/request-tracker';
export {
  type NodeResponseLike,
  type NodeSocketLike,
  ResponseTrackers,
  type ResponseTrackersOptions,
} from './http/response-trackers';
