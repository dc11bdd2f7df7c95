import { createError } from '@promkit/core';

/**
 * Redis could not be reached (down, slow, or the registry is closed). Scrapes reject with
 * it, and every promkit metrics handler answers 503 instead of serving incomplete totals.
 */
export { StoreUnavailableError } from '@promkit/core';

/**
 * A metric is already stored in Redis with another type, label names, buckets or gauge
 * mode. This process's values for it are not shared (the stored definition wins).
 */
export const MetricConflictError = createError(
  'MetricConflictError',
  'PROMKIT_ERR_METRIC_CONFLICT',
);
export type MetricConflictError = InstanceType<typeof MetricConflictError>;
