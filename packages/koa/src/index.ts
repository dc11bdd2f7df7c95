export {
  DEFAULT_EXCLUDE_PATHS,
  type MetricsAuth,
  type MetricsHandlerOptions,
  UNMATCHED_PATH,
} from '@promkit/core';
export { metricsHandler } from './metrics-handler';
export {
  type KoaMetricsMiddleware,
  type KoaMetricsOptions,
  metricsMiddleware,
} from './metrics-middleware';
