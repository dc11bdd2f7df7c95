import { CollectError, ConfigError, DuplicateMetricError } from './errors';
import { labelText } from './exposition/escape';
import type { Collector, MetricFamily } from './model';
import { materialize, type SnapshotFamily } from './snapshot';
import { isThenable } from './thenable';

export interface RegistryOptions {
  /** Longest an async collector may take per scrape before it is skipped. Default 10 000 ms. */
  readonly collectTimeoutMs?: number;
  /** Told about every collector failure. Default: one `console.warn` line per failure. */
  readonly onCollectError?: (error: CollectError) => void;
}

/** The family reporting collector failures; present once any collector failed. */
export const COLLECTOR_FAILURES_METRIC = 'promkit_collector_failures_total';
/** The family reporting series folded away by `maxSeries`; present once any metric overflowed. */
export const SERIES_OVERFLOW_METRIC = 'promkit_series_overflow_total';

/**
 * Holds collectors and snapshots them for exposition. Concurrent `collect()` calls
 * share one in-flight collection; a failing or hanging collector is skipped, counted
 * in `promkit_collector_failures_total` and reported, and the rest is still returned.
 *
 * @example
 * const registry = new Registry();
 * new Counter('jobs_total', 'Jobs run.', { registry });
 * const { body, contentType } = await render(registry, req.headers.accept);
 */
export class Registry implements Collector {
  private readonly named = new Map<string, Collector>();
  private readonly collectors: Collector[] = [];
  private readonly failures = new Map<string, number>();
  private inFlight: Promise<MetricFamily[]> | undefined;
  private snapshotInFlight: Promise<SnapshotFamily[]> | undefined;
  private readonly collectTimeoutMs: number;
  private readonly onCollectError: (error: CollectError) => void;

  constructor(options: RegistryOptions = {}) {
    const timeout = options.collectTimeoutMs ?? 10_000;
    if (!(timeout > 0)) {
      throw new ConfigError(`Registry: collectTimeoutMs must be > 0, got ${timeout}`);
    }
    this.collectTimeoutMs = timeout;
    this.onCollectError =
      options.onCollectError ?? ((error) => console.warn(`promkit: ${error.message}`));
  }

  /** Adds a collector. A second one with a registered name throws `DuplicateMetricError`. */
  register(collector: Collector): void {
    if (typeof collector?.collect !== 'function') {
      throw new ConfigError('Registry.register: a collector needs a collect() method');
    }
    const name = collector.name;
    if (name !== undefined) {
      if (this.named.has(name)) {
        throw new DuplicateMetricError(`A metric named "${name}" is already registered`);
      }
      this.named.set(name, collector);
    } else if (this.collectors.includes(collector)) {
      return;
    }
    this.collectors.push(collector);
  }

  /** Removes a collector (or the one with that name). Returns whether it was registered. */
  unregister(collectorOrName: Collector | string): boolean {
    const collector =
      typeof collectorOrName === 'string' ? this.named.get(collectorOrName) : collectorOrName;
    if (collector === undefined) return false;
    const index = this.collectors.indexOf(collector);
    if (index === -1) return false;
    this.collectors.splice(index, 1);
    if (collector.name !== undefined) this.named.delete(collector.name);
    return true;
  }

  /** The registered collector with that name. */
  get(name: string): Collector | undefined {
    return this.named.get(name);
  }

  /** Every registered collector, in registration order. */
  getAll(): readonly Collector[] {
    return [...this.collectors];
  }

  /** Unregisters everything (for tests). */
  clear(): void {
    this.named.clear();
    this.collectors.length = 0;
    this.failures.clear();
  }

  /** Resets every registered metric's values, keeping the registrations. */
  resetMetrics(): void {
    for (const c of this.collectors) (c as { reset?: () => void }).reset?.();
  }

  /** Snapshots every collector, in registration order. */
  collect(): Promise<MetricFamily[]> {
    if (this.inFlight !== undefined) return this.inFlight;
    const pending = this.gather(false)
      .then((families) => families.map(materialize))
      .finally(() => {
        this.inFlight = undefined;
      });
    this.inFlight = pending;
    return pending;
  }

  /**
   * What a scrape renders: like `collect()`, but large metrics give lazy families whose
   * points are made slice by slice from state copied now, so `render()` can yield to the
   * event loop in between. Concurrent calls share one snapshot.
   */
  snapshot(): Promise<SnapshotFamily[]> {
    // A subclass that collects differently (a shared store) is rendered from its own
    // collect(), never from the local metrics.
    if (this.collect !== Registry.prototype.collect) return this.collect();
    if (this.snapshotInFlight !== undefined) return this.snapshotInFlight;
    const pending = this.gather(true).finally(() => {
      this.snapshotInFlight = undefined;
    });
    this.snapshotInFlight = pending;
    return pending;
  }

  private async gather(lazy: boolean): Promise<SnapshotFamily[]> {
    const collectors = [...this.collectors];
    type Result = SnapshotFamily | SnapshotFamily[];
    const results: Array<Result | Promise<Result>> = [];
    let hasAsync = false;
    for (const collector of collectors) {
      try {
        const snapshot = lazy ? (collector as Snapshotting).snapshotFamily : undefined;
        const result: Result | Promise<Result> =
          typeof snapshot === 'function' ? snapshot.call(collector) : collector.collect();
        if (isThenable(result)) hasAsync = true;
        results.push(result);
      } catch (error) {
        results.push(Promise.reject(error));
        hasAsync = true;
      }
    }
    const settled = hasAsync
      ? await Promise.allSettled(
          results.map((r) => (isThenable(r) ? this.withTimeout(Promise.resolve(r)) : r)),
        )
      : results.map((value) => ({ status: 'fulfilled' as const, value: value as Result }));
    const families: SnapshotFamily[] = [];
    settled.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') {
        const value = outcome.value;
        if (Array.isArray(value)) families.push(...value);
        else families.push(value);
      } else {
        this.recordFailure(collectors[i]!, outcome.reason);
      }
    });
    this.appendHealth(families, collectors);
    return families;
  }

  private withTimeout<T>(promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${this.collectTimeoutMs} ms`)),
        this.collectTimeoutMs,
      );
      (timer as { unref?: () => void }).unref?.();
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  private recordFailure(collector: Collector, reason: unknown): void {
    const name = collectorName(collector);
    this.failures.set(name, (this.failures.get(name) ?? 0) + 1);
    const detail = reason instanceof Error ? reason.message : String(reason);
    this.onCollectError(
      new CollectError(`collector "${name}" failed: ${detail}`, { cause: reason }),
    );
  }

  private appendHealth(families: SnapshotFamily[], collectors: readonly Collector[]): void {
    if (this.failures.size > 0) {
      families.push({
        name: COLLECTOR_FAILURES_METRIC,
        help: 'Collections that failed or timed out, by collector.',
        type: 'counter',
        points: [...this.failures].map(([collector, value]) => {
          const labels = { collector };
          return { labels, labelText: labelText(labels), value };
        }),
      });
    }
    const overflowing = collectors.filter((c) => overflowCount(c) > 0);
    if (overflowing.length > 0) {
      families.push({
        name: SERIES_OVERFLOW_METRIC,
        help: 'Updates folded into the overflow series because a metric reached maxSeries.',
        type: 'counter',
        points: overflowing.map((c) => {
          const labels = { metric: collectorName(c) };
          return { labels, labelText: labelText(labels), value: overflowCount(c) };
        }),
      });
    }
  }
}

/** A collector that can give a lazy snapshot (every metric). */
interface Snapshotting {
  readonly snapshotFamily?: () => SnapshotFamily;
}

function overflowCount(collector: Collector): number {
  return (collector as { overflowCount?: number }).overflowCount ?? 0;
}

function collectorName(collector: Collector): string {
  return collector.name ?? collector.constructor?.name ?? 'anonymous';
}

/** The default registry every metric registers with unless told otherwise. */
export const REGISTRY = new Registry();
