import { createError } from '@promkit/core';

/** `service.metricsUrl` (or `url`) read while the service is not listening. */
export const ServiceNotStartedError = createError(
  'ServiceNotStartedError',
  'PROMKIT_ERR_SERVICE_NOT_STARTED',
);
export type ServiceNotStartedError = InstanceType<typeof ServiceNotStartedError>;

/** `service.start()` could not listen (port in use, permission, bad host); `cause` says why. */
export const ServiceListenError = createError('ServiceListenError', 'PROMKIT_ERR_SERVICE_LISTEN');
export type ServiceListenError = InstanceType<typeof ServiceListenError>;

const PushErrorBase = createError('PushError', 'PROMKIT_ERR_PUSH');

/** The Pushgateway answered with a non-2xx status; `body` is what it said. */
export class PushError extends PushErrorBase {
  readonly status: number;
  readonly body: string;
  readonly url: string;

  constructor(
    message: string,
    details: { status: number; body: string; url: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = details.status;
    this.body = details.body;
    this.url = details.url;
  }
}

/** A push, add or delete that got no answer within `timeoutMs`; the request was aborted. */
export const PushTimeoutError = createError('PushTimeoutError', 'PROMKIT_ERR_PUSH_TIMEOUT');
export type PushTimeoutError = InstanceType<typeof PushTimeoutError>;

/** The Pushgateway could not be reached (refused, DNS, TLS, reset); `cause` holds the reason. */
export const PushConnectionError = createError(
  'PushConnectionError',
  'PROMKIT_ERR_PUSH_CONNECTION',
);
export type PushConnectionError = InstanceType<typeof PushConnectionError>;

/** The caller's `AbortSignal` aborted the request; `cause` is the signal's reason. */
export const PushAbortedError = createError('PushAbortedError', 'PROMKIT_ERR_PUSH_ABORTED');
export type PushAbortedError = InstanceType<typeof PushAbortedError>;

/** A worker's metrics snapshot that could not be decoded or merged. */
export const AggregationError = createError('AggregationError', 'PROMKIT_ERR_AGGREGATION');
export type AggregationError = InstanceType<typeof AggregationError>;
