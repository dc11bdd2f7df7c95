import { Registry as CoreRegistry, type MetricFamily } from '@promkit/core';
import { aggregationHints, collectDefaultMetrics as collectRuntime } from '@promkit/node';
import { snapshotFromFamily } from './from-family';
import { globalRegistry } from './global-registry';
import { RELEASE } from './internal';
import type { Registry } from './registry';
import type { MetricSnapshot, RegistrableMetric, RegistryContentType } from './types';

export interface DefaultMetricsCollectorConfiguration<T extends RegistryContentType> {
  register?: Registry<T>;
  prefix?: string;
  gcDurationBuckets?: number[] | readonly number[];
  eventLoopMonitoringPrecision?: number;
  labels?: object;
}

/** prom-client's list of default metric groups (its module names). */
const METRICS_LIST = [
  'processCpuTotal',
  'processStartTime',
  'osMemoryHeap',
  'processOpenFileDescriptors',
  'processMaxFileDescriptors',
  'eventLoopLag',
  'processHandles',
  'processRequests',
  'processResources',
  'heapSizeAndUsed',
  'heapSpacesSizeAndUsed',
  'version',
  'gc',
];

/**
 * prom-client's `collectDefaultMetrics`: process and Node.js runtime metrics under
 * prom-client's names, registered in `register` (default: the global registry). Backed by
 * `@promkit/node`'s runtime metrics, computed at scrape time.
 *
 * @example
 * collectDefaultMetrics({ prefix: 'shop_', labels: { instance: 'a' } });
 */
export const collectDefaultMetrics: {
  <T extends RegistryContentType>(config?: DefaultMetricsCollectorConfiguration<T>): void;
  metricsList: string[];
} = Object.assign(
  <T extends RegistryContentType>(config: DefaultMetricsCollectorConfiguration<T> = {}): void => {
    if (config !== null && typeof config !== 'object') {
      throw new TypeError('config must be null, undefined, or an object');
    }
    const target = (config?.register ?? globalRegistry) as Registry<RegistryContentType>;
    const labels = (config?.labels ?? {}) as Record<string, unknown>;
    const stringLabels: Record<string, string> = {};
    for (const [name, value] of Object.entries(labels)) stringLabels[name] = String(value);
    // A private promkit registry per call: each call gets its own collectors, as in prom-client.
    const source = new CoreRegistry();
    const runtime = collectRuntime({
      registry: source,
      prefix: config?.prefix ?? '',
      labels: stringLabels,
      ...(config?.gcDurationBuckets ? { gcDurationBuckets: config.gcDurationBuckets } : {}),
      ...(config?.eventLoopMonitoringPrecision
        ? { eventLoopMonitoringPrecision: config.eventLoopMonitoringPrecision }
        : {}),
    });
    const hints = aggregationHints(source);
    let live = runtime.metricNames.length;
    const release = (): void => {
      if (--live === 0) runtime.stop();
    };
    const readers = source.getAll().map((collector) => new GroupReader(() => collector.collect()));
    for (const name of runtime.metricNames) {
      const metric: RegistrableMetric & { [RELEASE]: () => void } = {
        name,
        get: async (): Promise<MetricSnapshot> => {
          for (const reader of readers) {
            const family = (await reader.read()).find((f) => f.name === name);
            if (family !== undefined)
              return snapshotFromFamily(family, hints[name] ?? 'sum', labels);
          }
          return { name, help: name, type: 'gauge', values: [], aggregator: hints[name] ?? 'sum' };
        },
        [RELEASE]: release,
      };
      target.registerMetric(metric);
    }
  },
  { metricsList: [...METRICS_LIST] },
);

/** Collects a group once per tick however many of its families are read. */
class GroupReader {
  private pending: Promise<MetricFamily[]> | undefined;

  constructor(
    private readonly collect: () =>
      | MetricFamily
      | MetricFamily[]
      | Promise<MetricFamily | MetricFamily[]>,
  ) {}

  read(): Promise<MetricFamily[]> {
    if (this.pending === undefined) {
      this.pending = Promise.resolve(this.collect()).then((r) => (Array.isArray(r) ? r : [r]));
      setImmediate(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }
}
