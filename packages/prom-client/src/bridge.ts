import {
  type Collector,
  type Registry as CoreRegistry,
  type MetricFamily,
  REGISTRY,
} from '@promkit/core';
import { familyFromSnapshot } from './to-family';
import type { MetricSnapshot } from './types';

/** The part of a prom-client registry the bridge reads (any prom-client version with `getMetricsAsJSON`). */
export interface PromClientRegistryLike {
  getMetricsAsJSON(): Promise<MetricSnapshot[]> | MetricSnapshot[];
}

export interface PromClientBridgeOptions {
  /** Where to register the bridge; `null` leaves it unregistered. Default: promkit's `REGISTRY`. */
  readonly registry?: CoreRegistry | null;
  /**
   * Told about each metric name the bridge left out because the promkit registry (or the
   * bridged registry itself) already has it. Default: one `console.warn` per name.
   */
  readonly onDuplicate?: (name: string) => void;
}

/** A promkit collector reading a real prom-client registry. */
export interface PromClientBridge extends Collector {
  collect(): Promise<MetricFamily[]>;
  /** Unregisters the bridge from its promkit registry. */
  close(): void;
}

/**
 * A promkit collector that shows the metrics of a real prom-client registry on promkit's
 * pages (every format promkit negotiates): it calls `getMetricsAsJSON()` at each scrape and
 * keeps types, labels, histogram buckets and summary quantiles. A name that a promkit metric
 * already uses is left out and reported, never merged.
 *
 * @example
 * import promClient from 'prom-client';
 * bridgePromClient(promClient.register); // now on every promkit /metrics endpoint
 */
export function bridgePromClient(
  source: PromClientRegistryLike,
  options: PromClientBridgeOptions = {},
): PromClientBridge {
  if (typeof source?.getMetricsAsJSON !== 'function') {
    throw new TypeError(
      'bridgePromClient: expected a prom-client registry (with getMetricsAsJSON())',
    );
  }
  const registry = options.registry === undefined ? REGISTRY : options.registry;
  const reported = new Set<string>();
  const onDuplicate =
    options.onDuplicate ??
    ((name: string) =>
      console.warn(
        `promkit: prom-client metric "${name}" left out: a promkit metric already has that name`,
      ));
  const bridge: PromClientBridge = {
    async collect() {
      const snapshots = await source.getMetricsAsJSON();
      const seen = new Set<string>();
      const families: MetricFamily[] = [];
      for (const snapshot of snapshots) {
        const name = snapshot.name;
        if (seen.has(name) || registry?.get(name) !== undefined) {
          if (!reported.has(name)) {
            reported.add(name);
            onDuplicate(name);
          }
          continue;
        }
        seen.add(name);
        families.push(familyFromSnapshot(snapshot, undefined));
      }
      return families;
    },
    close() {
      registry?.unregister(bridge);
    },
  };
  registry?.register(bridge);
  return bridge;
}
