import { AggregatorFactory, aggregators } from './aggregators';
import { bridgePromClient } from './bridge';
import { exponentialBuckets, linearBuckets } from './buckets';
import { AggregatorRegistry, listenIfWorker } from './cluster';
import { Counter } from './counter';
import { collectDefaultMetrics } from './default-metrics';
import { Gauge } from './gauge';
import { globalRegistry } from './global-registry';
import { Histogram } from './histogram';
import { Pushgateway } from './pushgateway';
import { Registry } from './registry';
import { Summary } from './summary';
import {
  MetricType,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  type RegistryContentType,
} from './types';
import { validateLabel, validateLabelName, validateMetricName } from './validation';

export {
  AggregatorFactory,
  type AggregatorFunction,
  aggregators,
} from './aggregators';
export {
  bridgePromClient,
  type PromClientBridge,
  type PromClientBridgeOptions,
  type PromClientRegistryLike,
} from './bridge';
export { exponentialBuckets, linearBuckets } from './buckets';
export { AggregatorRegistry } from './cluster';
export { Counter, type CounterConfiguration, type IncreaseDataWithExemplar } from './counter';
export {
  collectDefaultMetrics,
  type DefaultMetricsCollectorConfiguration,
} from './default-metrics';
export { Gauge, type GaugeConfiguration } from './gauge';
export {
  DEFAULT_HISTOGRAM_BUCKETS,
  Histogram,
  type HistogramConfiguration,
  type ObserveDataWithExemplar,
} from './histogram';
export type { LabelValues } from './labels';
export type { MetricConfiguration } from './metric';
export { Pushgateway } from './pushgateway';
export { Registry } from './registry';
export { DEFAULT_PERCENTILES, Summary, type SummaryConfiguration } from './summary';
export {
  type Aggregator,
  type Charset,
  type CollectFunction,
  type MetricObject,
  type MetricObjectWithValues,
  type MetricSnapshot,
  MetricType,
  type MetricValue,
  type MetricValueWithName,
  type OpenMetricsContentType,
  type OpenMetricsMIME,
  type OpenMetricsVersion,
  type PrometheusContentType,
  type PrometheusMetricsVersion,
  type PrometheusMIME,
  type RegistrableMetric,
  type RegistryContentType,
} from './types';
export { validateLabel, validateLabelName, validateMetricName } from './validation';

/** A metric of any of the four types. */
export type Metric<T extends string = string> = Counter<T> | Gauge<T> | Summary<T> | Histogram<T>;

/** The global registry, linked to promkit's `REGISTRY`. */
export const register: Registry = globalRegistry;
/** The global registry's content type (kept current when `register.setContentType` is called). */
export let contentType: RegistryContentType = globalRegistry.contentType;
export const prometheusContentType = PROMETHEUS_CONTENT_TYPE;
export const openMetricsContentType = OPENMETRICS_CONTENT_TYPE;

const anyTypeRegistry = globalRegistry as Registry<RegistryContentType>;
const setGlobalType = anyTypeRegistry.setContentType.bind(anyTypeRegistry);
anyTypeRegistry.setContentType = (type: RegistryContentType): void => {
  setGlobalType(type);
  contentType = globalRegistry.contentType;
};

listenIfWorker();

/**
 * Everything, as one object, for `import client from '@promkit/prom-client'` (what
 * `import client from 'prom-client'` gives under Node's CommonJS interop).
 */
const client = {
  register,
  Registry,
  get contentType(): RegistryContentType {
    return globalRegistry.contentType;
  },
  set contentType(type: RegistryContentType) {
    anyTypeRegistry.setContentType(type);
  },
  prometheusContentType,
  openMetricsContentType,
  validateMetricName,
  validateLabelName,
  validateLabel,
  Counter,
  Gauge,
  Histogram,
  Summary,
  Pushgateway,
  linearBuckets,
  exponentialBuckets,
  collectDefaultMetrics,
  aggregators,
  AggregatorFactory,
  AggregatorRegistry,
  MetricType,
  bridgePromClient,
};
export default client;
