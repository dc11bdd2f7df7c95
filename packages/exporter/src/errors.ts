import { createError } from '@promkit/core';

/** A command-line, environment or dotenv value the exporter cannot use. */
export const OptionError = createError('OptionError', 'PROMKIT_ERR_OPTION');
export type OptionError = InstanceType<typeof OptionError>;

/** A metric config whose `type` is not one `createMetrics` knows. */
export const InvalidMetricTypeError = createError(
  'InvalidMetricTypeError',
  'PROMKIT_ERR_INVALID_METRIC_TYPE',
);
export type InvalidMetricTypeError = InstanceType<typeof InvalidMetricTypeError>;

/** The exporter could not start: unreadable TLS file, address in use, failing startup hook. */
export const StartupError = createError('StartupError', 'PROMKIT_ERR_STARTUP');
export type StartupError = InstanceType<typeof StartupError>;
