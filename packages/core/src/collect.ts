import type { Collector, MetricFamily } from './model';

/**
 * Collects `collector` and returns its families as an array, whichever of the shapes
 * `collect()` may return it gave.
 *
 * @example
 * const families = await collectFamilies(registry);
 */
export async function collectFamilies(collector: Collector): Promise<MetricFamily[]> {
  const collected = await collector.collect();
  return Array.isArray(collected) ? collected : [collected];
}
