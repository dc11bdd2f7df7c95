import { createError } from '@promkit/core';

/** A service binary (prometheus, promtool, redis-server, …) is not installed. */
export const MissingServiceError = createError(
  'MissingServiceError',
  'PROMKIT_ERR_MISSING_SERVICE',
);
export type MissingServiceError = InstanceType<typeof MissingServiceError>;

/** A service process exited or never became ready while starting. */
export const ServiceStartError = createError('ServiceStartError', 'PROMKIT_ERR_SERVICE_START');
export type ServiceStartError = InstanceType<typeof ServiceStartError>;

/** A service's HTTP API answered with an error or a body that is not what it documents. */
export const ServiceApiError = createError('ServiceApiError', 'PROMKIT_ERR_SERVICE_API');
export type ServiceApiError = InstanceType<typeof ServiceApiError>;

/** `waitFor` saw no result matching its predicate before its deadline. */
export const WaitTimeoutError = createError('WaitTimeoutError', 'PROMKIT_ERR_WAIT_TIMEOUT');
export type WaitTimeoutError = InstanceType<typeof WaitTimeoutError>;
