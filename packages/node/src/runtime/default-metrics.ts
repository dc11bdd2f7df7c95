import { isMainThread } from 'node:worker_threads';
import {
  type Collector,
  ConfigError,
  DuplicateMetricError,
  type Labels,
  REGISTRY,
  type Registry,
} from '@promkit/core';
import { setAggregation } from '../aggregate/aggregation-hints';
import { activeResources } from './active-resources';
import { eventLoopLag, eventLoopUtilization } from './event-loop';
import { DEFAULT_GC_DURATION_BUCKETS, gcDuration } from './gc-duration';
import { heapSize, heapSpaces } from './heap';
import { nodeVersion } from './node-version';
import { processCpu, processFds, processMemory, processStartTime } from './process-metrics';
import { type RuntimeGroup, runtimeContext } from './runtime-family';

export interface DefaultMetricsOptions {
  /** Where to register. Default `REGISTRY`. */
  readonly registry?: Registry;
  /** Prepended to every metric name, e.g. `myapp_`. */
  readonly prefix?: string;
  /** Constant labels added to every series. */
  readonly labels?: Labels;
  /** Buckets of `nodejs_gc_duration_seconds`. Default `[0.001, 0.01, 0.1, 1, 2, 5]`. */
  readonly gcDurationBuckets?: readonly number[];
  /** Sampling resolution of `monitorEventLoopDelay`, in ms. Default 10. */
  readonly eventLoopMonitoringPrecision?: number;
  /**
   * Include the process-wide `process_*` metrics. Default: true on the main thread,
   * false in a worker thread (they would be counted once per thread).
   */
  readonly processMetrics?: boolean;
}

export interface DefaultMetrics {
  /** Every metric name registered, prefix included. */
  readonly metricNames: readonly string[];
  /** Unregisters the metrics and releases the event-loop monitor and GC observer. */
  stop(): void;
}

const active = new WeakMap<Registry, Map<string, DefaultMetrics>>();

/**
 * Registers process and Node.js runtime metrics under prom-client's names, computed at
 * scrape time (no polling timer). Calling it again for the same registry and prefix
 * returns the handle of the first call.
 *
 * @example
 * const runtime = collectDefaultMetrics({ registry, prefix: 'shop_' });
 * // … later, in tests or on shutdown:
 * runtime.stop();
 */
export function collectDefaultMetrics(options: DefaultMetricsOptions = {}): DefaultMetrics {
  const registry = options.registry ?? REGISTRY;
  const prefix = options.prefix ?? '';
  const existing = active.get(registry)?.get(prefix);
  if (existing !== undefined) return existing;

  const precision = options.eventLoopMonitoringPrecision ?? 10;
  if (!Number.isInteger(precision) || precision < 1) {
    throw new ConfigError(
      `collectDefaultMetrics: eventLoopMonitoringPrecision must be an integer ≥ 1 ms, got ${precision}`,
    );
  }
  const ctx = runtimeContext(prefix, options.labels ?? {});
  const groups: RuntimeGroup[] = [];
  try {
    if (options.processMetrics ?? isMainThread) {
      groups.push(processCpu(ctx), processStartTime(ctx), processMemory(ctx));
      const fds = processFds(ctx);
      if (fds !== undefined) groups.push(fds);
    }
    groups.push(
      eventLoopLag(ctx, precision),
      eventLoopUtilization(ctx),
      activeResources(ctx),
      heapSize(ctx),
      heapSpaces(ctx),
      nodeVersion(ctx),
      gcDuration(ctx, options.gcDurationBuckets ?? DEFAULT_GC_DURATION_BUCKETS),
    );
  } catch (error) {
    for (const group of groups) group.stop?.();
    throw error;
  }

  const collectors: Collector[] = [];
  const release = (): void => {
    for (const collector of collectors) registry.unregister(collector);
    for (const group of groups) group.stop?.();
  };
  try {
    for (const group of groups) {
      for (const name of group.names) {
        if (registry.get(name) !== undefined) {
          throw new DuplicateMetricError(
            `collectDefaultMetrics: a metric named "${name}" is already registered`,
          );
        }
      }
      // One collector per group (its families are computed together), named after its first family.
      const collector: Collector = { name: group.names[0], collect: () => group.collect() };
      registry.register(collector);
      collectors.push(collector);
    }
  } catch (error) {
    release();
    throw error;
  }
  for (const group of groups) {
    for (const [name, aggregation] of Object.entries(group.aggregation ?? {})) {
      setAggregation(registry, name, aggregation);
    }
  }

  let byPrefix = active.get(registry);
  if (byPrefix === undefined) {
    byPrefix = new Map();
    active.set(registry, byPrefix);
  }
  let stopped = false;
  const handle: DefaultMetrics = {
    metricNames: Object.freeze(groups.flatMap((group) => group.names)),
    stop() {
      if (stopped) return;
      stopped = true;
      release();
      active.get(registry)?.delete(prefix);
    },
  };
  byPrefix.set(prefix, handle);
  return handle;
}
