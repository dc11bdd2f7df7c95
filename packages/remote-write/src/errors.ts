import { createError } from '@promkit/core';

/** How a push failed, as counted in `promkit_remote_write_failures_total{reason}`. */
export type RemoteWriteFailure = 'http' | 'timeout' | 'network' | 'collect';

const HttpErrorBase = createError('RemoteWriteHttpError', 'PROMKIT_ERR_REMOTE_WRITE_HTTP');

/**
 * The receiver answered with a non-2xx status: after the last retry for 5xx and 429, at
 * once for any other status (the request is dropped: sending it again cannot succeed).
 */
export class RemoteWriteHttpError extends HttpErrorBase {
  readonly status: number;
  readonly body: string;
  readonly url: string;
  /** Whether the status was one that is retried (5xx, 429). */
  readonly retryable: boolean;

  constructor(details: { status: number; body: string; url: string; attempts: number }) {
    const retryable = isRetryableStatus(details.status);
    super(
      `Remote write to ${details.url} answered ${details.status}${retryable ? ` after ${details.attempts} attempt(s)` : ' (not retried)'}: ${JSON.stringify(details.body.slice(0, 512))}`,
    );
    this.status = details.status;
    this.body = details.body;
    this.url = details.url;
    this.retryable = retryable;
  }
}

/** No answer within `timeoutSeconds` on the last attempt. */
export const RemoteWriteTimeoutError = createError(
  'RemoteWriteTimeoutError',
  'PROMKIT_ERR_REMOTE_WRITE_TIMEOUT',
);
export type RemoteWriteTimeoutError = InstanceType<typeof RemoteWriteTimeoutError>;

/** The receiver could not be reached on the last attempt (refused, reset, DNS); `cause` says why. */
export const RemoteWriteNetworkError = createError(
  'RemoteWriteNetworkError',
  'PROMKIT_ERR_REMOTE_WRITE_NETWORK',
);
export type RemoteWriteNetworkError = InstanceType<typeof RemoteWriteNetworkError>;

/** The registry could not be collected or encoded; `cause` is what it threw. */
export const RemoteWriteCollectError = createError(
  'RemoteWriteCollectError',
  'PROMKIT_ERR_REMOTE_WRITE_COLLECT',
);
export type RemoteWriteCollectError = InstanceType<typeof RemoteWriteCollectError>;

/** Every error a push reports. */
export type RemoteWriteError =
  | RemoteWriteHttpError
  | RemoteWriteTimeoutError
  | RemoteWriteNetworkError
  | RemoteWriteCollectError;

/** 5xx and 429 Too Many Requests are worth sending again; other 4xx are not. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

export function failureOf(error: RemoteWriteError): RemoteWriteFailure {
  if (error instanceof RemoteWriteHttpError) return 'http';
  if (error instanceof RemoteWriteTimeoutError) return 'timeout';
  if (error instanceof RemoteWriteNetworkError) return 'network';
  return 'collect';
}
