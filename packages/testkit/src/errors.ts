// Plain error classes: testkit must not depend on @promkit/core, because core's own
// tests use testkit (a dependency cycle would break turbo's task graph).

/** A service binary (prometheus, promtool, redis-server, …) is not installed. */
export class MissingServiceError extends Error {
  readonly code = 'PROMKIT_ERR_MISSING_SERVICE';
  override name = 'MissingServiceError';
}

/** A service process exited or never became ready while starting. */
export class ServiceStartError extends Error {
  readonly code = 'PROMKIT_ERR_SERVICE_START';
  override name = 'ServiceStartError';
}

/** A service's HTTP API answered with an error or a body that is not what it documents. */
export class ServiceApiError extends Error {
  readonly code = 'PROMKIT_ERR_SERVICE_API';
  override name = 'ServiceApiError';
}

/** `waitFor` saw no result matching its predicate before its deadline. */
export class WaitTimeoutError extends Error {
  readonly code = 'PROMKIT_ERR_WAIT_TIMEOUT';
  override name = 'WaitTimeoutError';
}
