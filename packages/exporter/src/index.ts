export { InvalidMetricTypeError, OptionError, StartupError } from './errors';
export {
  type ExporterApp,
  type ExporterArgs,
  ExporterScript,
  type RunOptions,
} from './exporter-script';
export {
  describeError,
  LOG_FORMATS,
  LOG_LEVELS,
  type LogFields,
  type LogFormat,
  Logger,
  type LoggerOptions,
  type LogLevel,
} from './log/logger';
export {
  CONFIG_KEYS,
  type ExporterMetric,
  METRIC_TYPES,
  type MetricConfig,
  type MetricFor,
  type MetricSettings,
  type MetricsOf,
  type MetricTypeName,
} from './metrics/metric-config';
export { type BuiltinArgs, DEFAULT_HOSTS } from './options/builtin-options';
export {
  type ExporterOption,
  envPrefixFromName,
  envVarName,
  type OptionType,
  type OptionValue,
} from './options/option-spec';
export type { OptionSource } from './options/resolve-args';
