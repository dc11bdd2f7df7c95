import { duplicateMetricError } from './duplicate-metric';
import { CollectError, ConfigError, NameCollisionError } from './errors';
import { labelText } from './exposition/escape';
import { DEFAULT_ESCAPING, escapeName } from './exposition/name-escaping';
import type { Collector, MetricFamily } from './model';
import { materialize, type SnapshotFamily } from './snapshot';
import { isThenable } from './thenable';
import type { NameValidation } from './validate';
import { withTimeout } from './with-timeout';

export interface RegistryOptions {
  /** Longest an async collector may take per scrape before it is skipped. Default 10 000 ms. */
  readonly collectTimeoutMs?: number;
  /** Told about every collector failure. Default: one `console.warn` line per failure. */
  readonly onCollectError?: (error: CollectError) => void;
  /**
   * `'utf8'` lets metric and label names be any UTF-8 text (`http.server.duration`);
   * each scrape then gets them quoted or escaped as its `Accept` header says. Default
   * `'legacy'`: `[a-zA-Z_:][a-zA-Z0-9_:]*` names, as Prometheus 2 requires.
   */
  readonly nameValidation?: NameValidation;
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
  /** Which names metrics registered here may have. */
  readonly nameValidation: NameValidation;
  /** Registered names by their escaped spelling (UTF-8 registries only). */
  private readonly escapedNames = new Map<string, string>();
  private readonly reportedCollisions = new Set<string>();

  constructor(options: RegistryOptions = {}) {
    const validation = options.nameValidation ?? 'legacy';
    if (validation !== 'legacy' && validation !== 'utf8') {
      throw new ConfigError(
        `Registry: nameValidation must be 'legacy' or 'utf8', got ${JSON.stringify(validation)}`,
      );
    }
    this.nameValidation = validation;
    const timeout = options.collectTimeoutMs ?? 10_000;
    if (!(timeout > 0)) {
      throw new ConfigError(`Registry: collectTimeoutMs must be > 0, got ${timeout}`);
    }
    this.collectTimeoutMs = timeout;
    this.onCollectError =
      options.onCollectError ?? ((error) => console.warn(`promkit: ${error.message}`));
  }

  /**
   * Adds a collector. A second one with a registered name throws `DuplicateMetricError`;
   * in a UTF-8 registry, one whose name escapes (`underscores`, what every scraper that
   * does not accept UTF-8 names gets) to a registered one's throws `NameCollisionError`.
   */
  register(collector: Collector): void {
    if (typeof collector?.collect !== 'function') {
      throw new ConfigError('Registry.register: a collector needs a collect() method');
    }
    const name = collector.name;
    if (name !== undefined) {
      if (this.named.has(name)) {
        throw duplicateMetricError(name, this.named.get(name)!, collector);
      }
      if (this.nameValidation === 'utf8') {
        const escaped = escapeName(name, DEFAULT_ESCAPING);
        const other = this.escapedNames.get(escaped);
        if (other !== undefined) {
          throw new NameCollisionError(
            `Metric "${name}" and the registered "${other}" would both be exposed as "${escaped}" to scrapers that do not accept UTF-8 names`,
          );
        }
        this.escapedNames.set(escaped, name);
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
    if (collector.name !== undefined) {
      this.named.delete(collector.name);
      this.escapedNames.delete(escapeName(collector.name, DEFAULT_ESCAPING));
    }
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
    this.escapedNames.clear();
    this.collectors.length = 0;
    this.failures.clear();
  }

  /** Resets every registered metric's values, keeping the registrations. */
  resetMetrics(): void {
    for (const c of this.collectors) (c as { reset?: () => void }).reset?.();
  }

  /**
   * Told by `render()` about names one scrape's escaping made equal (the later one was
   * left out); reported through `onCollectError` once per distinct collision.
   */
  reportNameCollision(message: string): void {
    if (this.reportedCollisions.has(message)) return;
    this.reportedCollisions.add(message);
    const cause = new NameCollisionError(message);
    this.onCollectError(new CollectError(`name collision: ${message}`, { cause }));
  }

  /** Snapshots every collector, in registration order. Concurrent calls share one collection. */
  collect(): Promise<MetricFamily[]> {
    if (this.inFlight !== undefined) return this.inFlight;
    const pending = this.collectAll().finally(() => {
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
    // collection, never from the local metrics.
    if (
      this.collect !== Registry.prototype.collect ||
      this.collectAll !== Registry.prototype.collectAll
    ) {
      return this.collect();
    }
    if (this.snapshotInFlight !== undefined) return this.snapshotInFlight;
    const pending = this.gather(true).finally(() => {
      this.snapshotInFlight = undefined;
    });
    this.snapshotInFlight = pending;
    return pending;
  }

  /**
   * One collection, run by `collect()` (which shares it among concurrent callers). A
   * registry that reads its families from elsewhere — a shared store — overrides this.
   */
  protected async collectAll(): Promise<MetricFamily[]> {
    const families = await this.gather(false);
    return families.map(materialize);
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
    const families: SnapshotFamily[] = [];
    const add = (value: Result) => {
      if (Array.isArray(value)) families.push(...value);
      else families.push(value);
    };
    if (hasAsync) {
      const settled = await Promise.allSettled(
        results.map((r) => (isThenable(r) ? withTimeout(r, this.collectTimeoutMs) : r)),
      );
      settled.forEach((outcome, i) => {
        if (outcome.status === 'fulfilled') add(outcome.value);
        else this.recordFailure(collectors[i]!, outcome.reason);
      });
    } else {
      // Every collector answered at once: no outcome object per collector.
      for (const value of results as Result[]) add(value);
    }
    this.appendHealth(families, collectors);
    return families;
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

/**
 * Where the process-wide default registry lives on `globalThis`. The ESM and CJS builds
 * (and two installed copies of promkit) are separate modules; through this key they find
 * one registry, so a CommonJS library's metrics show on an ESM app's page. The suffix
 * names the contract between a registry and the metrics registering with it: change it
 * when a Registry of this version could not serve metrics of the previous one.
 */
const DEFAULT_REGISTRY_KEY = Symbol.for('promkit.registry.default.v1');

/** What this version needs from a registry made by another copy of promkit. */
function isUsableRegistry(value: unknown): value is Registry {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return ['register', 'unregister', 'get', 'getAll', 'clear', 'collect'].every(
    (method) => typeof r[method] === 'function',
  );
}

function sharedDefaultRegistry(): Registry {
  const holder = globalThis as { [DEFAULT_REGISTRY_KEY]?: unknown };
  const existing = holder[DEFAULT_REGISTRY_KEY];
  if (isUsableRegistry(existing)) return existing;
  const registry = new Registry();
  try {
    Object.defineProperty(globalThis, DEFAULT_REGISTRY_KEY, {
      value: registry,
      configurable: true,
      enumerable: false,
      writable: false,
    });
  } catch {
    // A frozen globalThis or a non-configurable foreign value: this copy keeps its own.
  }
  return registry;
}

/**
 * The default registry every metric registers with unless told otherwise: one per
 * process, shared by the ESM and CJS builds and by every installed copy of this major
 * contract (kept on `globalThis` under `Symbol.for('promkit.registry.default.v1')`).
 */
export const REGISTRY: Registry = sharedDefaultRegistry();
