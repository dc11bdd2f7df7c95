import {
  ConfigError,
  Counter,
  Gauge,
  Histogram,
  Info,
  type Registry,
  StateSet,
  Summary,
} from '@promkit/core';
import { InvalidMetricTypeError } from '../errors';
import {
  CONFIG_KEYS,
  type ExporterMetric,
  METRIC_TYPES,
  type MetricConfig,
  type MetricTypeName,
} from './metric-config';

/**
 * Makes and registers one metric per config. Every config is checked before any
 * metric is made, and if making one fails the ones made by this call are unregistered,
 * so a bad list leaves the registry as it was.
 */
export function createMetrics(
  registry: Registry,
  configs: readonly MetricConfig[],
): Record<string, ExporterMetric> {
  if (!Array.isArray(configs)) {
    throw new ConfigError('createMetrics: expected an array of metric configs');
  }
  for (const config of configs) checkConfig(config);
  const before = new Set(registry.getAll());
  const made: Record<string, ExporterMetric> = {};
  let current: MetricConfig | undefined;
  try {
    for (const config of configs) {
      current = config;
      made[config.name] = makeMetric(registry, config);
    }
  } catch (error) {
    for (const metric of Object.values(made)) registry.unregister(metric);
    // A metric constructor may register itself before a later check of its own throws.
    const halfMade = current === undefined ? undefined : registry.get(current.name);
    if (halfMade !== undefined && !before.has(halfMade)) registry.unregister(halfMade);
    throw error;
  }
  return made;
}

function checkConfig(config: MetricConfig): void {
  if (typeof config !== 'object' || config === null) {
    throw new ConfigError(
      `createMetrics: a metric config must be an object, got ${String(config)}`,
    );
  }
  const name = config.name;
  if (typeof name !== 'string' || name === '') {
    throw new ConfigError(
      `createMetrics: metric name must be a non-empty string, got ${JSON.stringify(name)}`,
    );
  }
  if (typeof config.description !== 'string') {
    throw new ConfigError(`metric "${name}": description must be a string`);
  }
  if (!(METRIC_TYPES as readonly string[]).includes(config.type)) {
    throw new InvalidMetricTypeError(
      `metric "${name}": invalid type ${JSON.stringify(config.type)}, must be one of ${METRIC_TYPES.join(', ')}`,
    );
  }
  const labels: unknown = config.labels;
  if (
    labels !== undefined &&
    (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string'))
  ) {
    throw new ConfigError(
      `metric "${name}": labels must be an array of label names, got ${JSON.stringify(labels)}`,
    );
  }
  if (config.type === 'info' && labels !== undefined && labels.length > 0) {
    throw new ConfigError(
      `metric "${name}": an info metric takes no labels (its information is set with .set({...})), got ${JSON.stringify(labels)}`,
    );
  }
  const settings: unknown = config.config;
  if (settings === undefined) {
    if (config.type === 'enum' || config.type === 'stateset')
      throw missingStates(name, config.type);
    return;
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new ConfigError(
      `metric "${name}": config must be an object, got ${JSON.stringify(settings)}`,
    );
  }
  const valid = CONFIG_KEYS[config.type];
  for (const key of Object.keys(settings)) {
    if (!(valid as readonly string[]).includes(key)) {
      throw new ConfigError(
        `metric "${name}" (${config.type}): unknown config key ${JSON.stringify(key)}, valid keys: ${valid.join(', ')}`,
      );
    }
  }
  if (
    (config.type === 'enum' || config.type === 'stateset') &&
    config.config?.states === undefined
  ) {
    throw missingStates(name, config.type);
  }
}

function missingStates(name: string, type: MetricTypeName): ConfigError {
  return new ConfigError(
    `metric "${name}" (${type}): config.states is required, e.g. { states: ['up', 'down'] }`,
  );
}

function makeMetric(registry: Registry, config: MetricConfig): ExporterMetric {
  const { name, description } = config;
  const settings = config.config ?? {};
  const common = {
    registry,
    labelNames: [...(config.labels ?? [])],
    constLabels: settings.constLabels,
    unit: settings.unit,
    maxSeries: settings.maxSeries,
  };
  switch (config.type) {
    case 'counter':
      return new Counter(name, description, common);
    case 'gauge':
      return new Gauge(name, description, common);
    case 'histogram':
      return new Histogram(name, description, {
        ...common,
        buckets: settings.buckets,
        native: settings.native,
      });
    case 'summary':
      return new Summary(name, description, {
        ...common,
        invariants: settings.invariants,
        maxAgeSeconds: settings.maxAgeSeconds,
        ageBuckets: settings.ageBuckets,
      });
    case 'info':
      return new Info(name, description, { registry, constLabels: settings.constLabels });
    default:
      return new StateSet(name, description, { ...common, states: settings.states ?? [] });
  }
}
