export {
  DEFAULT_EXCLUDE_PATHS,
  type MetricsAuth,
  type MetricsHandlerOptions,
  UNMATCHED_PATH,
} from '@promkit/core';
export { metricsHandler } from './metrics-handler';
export {
  type HonoMetricsEnv,
  type HonoMetricsMiddleware,
  type HonoMetricsOptions,
  type HonoMetricsVariables,
  metricsMiddleware,
} from './metrics-middleware';
export { routeTemplate } from './route-template';
