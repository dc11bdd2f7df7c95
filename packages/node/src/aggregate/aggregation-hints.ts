import { ConfigError } from '@promkit/core';
import { type Aggregation, isAggregation } from './aggregation';

// Keyed by the registry (any object with collect()), so hints die with it.
const hintsByRegistry = new WeakMap<object, Map<string, Aggregation>>();

/**
 * Tells cluster and worker_threads aggregation how to combine a metric of this registry
 * across workers; the worker sends the hint with its snapshot. An `aggregation` option
 * given to the aggregator in the primary still wins.
 *
 * @example
 * new Gauge('queue_depth_max', 'Deepest queue seen.', { registry });
 * setAggregation(registry, 'queue_depth_max', 'max');
 */
export function setAggregation(
  registry: object,
  metricName: string,
  aggregation: Aggregation,
): void {
  if (!isAggregation(aggregation)) {
    throw new ConfigError(
      `setAggregation: "${metricName}" got unknown aggregation ${JSON.stringify(aggregation)}`,
    );
  }
  let hints = hintsByRegistry.get(registry);
  if (hints === undefined) {
    hints = new Map();
    hintsByRegistry.set(registry, hints);
  }
  hints.set(metricName, aggregation);
}

/** Removes a hint set with `setAggregation`. */
export function clearAggregation(registry: object, metricName: string): void {
  hintsByRegistry.get(registry)?.delete(metricName);
}

/** The hints set for a registry, as a plain object a worker can send. */
export function aggregationHints(registry: object): Record<string, Aggregation> {
  const hints = hintsByRegistry.get(registry);
  return hints === undefined ? {} : Object.fromEntries(hints);
}
