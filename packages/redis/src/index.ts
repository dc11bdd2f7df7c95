export type { RedisSpec } from './connection';
export { MetricConflictError, StoreUnavailableError } from './errors';
export { GAUGE_MODES, type GaugeMode } from './gauge-mode';
export type { RedisRegistryOptions } from './options';
export { createRedisRegistry, FLUSH_ERRORS_METRIC, RedisRegistry } from './redis-registry';
