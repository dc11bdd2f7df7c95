export {
  DEFAULT_EXCLUDE_PATHS,
  type MetricsAuth,
  type MetricsHandlerOptions,
  UNMATCHED_PATH,
} from '@promkit/core';
export { metricsHandler } from './metrics-handler';
export {
  type FastifyMetricsOptions,
  type FastifyMetricsPlugin,
  fastifyMetrics,
  fastifyMetrics as default,
} from './metrics-plugin';
