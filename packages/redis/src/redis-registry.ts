import {
  type Collector,
  ConfigError,
  Counter,
  Info,
  type MetricFamily,
  Registry,
  withTimeout,
} from '@promkit/core';
import type { Redis } from 'ioredis';
import { connect, type StoreConnection, whenReady } from './connection';
import { StoreUnavailableError } from './errors';
import { Flusher } from './flusher';
import { checkGaugeMode, type GaugeMode } from './gauge-mode';
import { StoreKeys } from './keys';
import { isGaugeLike, type SharedInstance, sharedKindOf } from './metric-meta';
import { type RedisRegistryOptions, type ResolvedOptions, resolveOptions } from './options';
import { readFamilies } from './read-families';
import { SharedMetric } from './shared-metric';

/** Failed flushes, summed over every process of the store. */
export const FLUSH_ERRORS_METRIC = 'promkit_redis_flush_errors_total';

/**
 * A `Registry` whose counters, histograms, summaries, gauges, infos and state sets are
 * shared by every process using the same Redis and prefix. Metrics record locally with
 * core's zero-cost hot path; a background flush sends what changed in one script call per
 * tick; `collect()` (and so `render()`) reads the shared totals back from Redis. Custom
 * collectors registered here stay process-local and are appended to each scrape.
 */
export class RedisRegistry extends Registry {
  readonly prefix: string;
  readonly processId: string;
  private readonly options: ResolvedOptions;
  private readonly keys: StoreKeys;
  private readonly connection: StoreConnection;
  private readonly shared = new Map<Collector, SharedMetric>();
  private readonly local: Registry;
  private readonly flusher: Flusher;
  private readonly flushErrors: Counter<never>;
  private closing: Promise<void> | undefined;

  constructor(options: RedisRegistryOptions = {}) {
    super(options);
    this.options = resolveOptions(options);
    this.prefix = this.options.prefix;
    this.processId = this.options.processId;
    this.keys = new StoreKeys(this.prefix);
    this.local = new Registry(options);
    this.connection = connect(options.redis, this.options.commandTimeoutMs);
    this.flusher = new Flusher(this.connection, this.options, {
      metrics: () => this.shared.values(),
      countFailure: () => this.flushErrors.inc(),
    });
    this.flushErrors = new Counter(
      FLUSH_ERRORS_METRIC,
      'Flushes to Redis that failed (Redis down, slow or refusing); their updates were kept and resent.',
      { registry: this, labelNames: [] },
    );
    this.flusher.start();
  }

  /** The ioredis client in use (created by the registry unless one was passed in). */
  get client(): Redis {
    return this.connection.client;
  }

  override register(collector: Collector): void {
    super.register(collector);
    const kind = sharedKindOf(collector);
    if (kind === undefined) {
      this.local.register(collector);
      return;
    }
    try {
      const metric = collector as SharedInstance;
      const mode = isGaugeLike(kind) ? this.modeFor(metric, kind) : undefined;
      this.shared.set(collector, new SharedMetric(metric, kind, mode));
    } catch (error) {
      super.unregister(collector);
      throw error;
    }
  }

  override unregister(collectorOrName: Collector | string): boolean {
    const collector =
      typeof collectorOrName === 'string' ? this.get(collectorOrName) : collectorOrName;
    if (collector === undefined) return false;
    const shared = this.shared.get(collector);
    if (shared !== undefined) {
      for (const field of shared.writtenFields()) this.flusher.orphans.add(field);
      this.shared.delete(collector);
    } else {
      this.local.unregister(collector);
    }
    return super.unregister(collector);
  }

  /** Unregisters everything; this process's gauges are removed from Redis at the next flush. */
  override clear(): void {
    for (const shared of this.shared.values()) {
      for (const field of shared.writtenFields()) this.flusher.orphans.add(field);
    }
    this.shared.clear();
    this.local.clear();
    super.clear();
  }

  /**
   * The shared families read from Redis (after flushing this process's own changes), then
   * the process-local collectors. Rejects with `StoreUnavailableError` when Redis cannot be
   * read: a scrape must fail rather than show partial totals.
   */
  protected override async collectAll(): Promise<MetricFamily[]> {
    this.ensureOpen('collect');
    const { client, where } = this.connection;
    const timeoutMs = this.options.commandTimeoutMs;
    try {
      await whenReady(this.connection, timeoutMs);
      // This process's own recent changes are part of the totals it serves.
      await this.flusher.flush();
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new StoreUnavailableError(
        `Redis at ${where} is unavailable, shared metrics cannot be read: ${detail}`,
        { cause },
      );
    }
    let families: MetricFamily[];
    try {
      families = await withTimeout(
        readFamilies(client, this.keys, this.options),
        timeoutMs,
        () => new Error(`no answer within ${timeoutMs} ms`),
      );
    } catch (cause) {
      throw new StoreUnavailableError(
        `reading shared metrics from Redis at ${where} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
    families.push(...(await this.local.collect()));
    return families;
  }

  /**
   * Sends every change recorded so far. Rejects with `StoreUnavailableError` if Redis did
   * not acknowledge; the changes stay pending and the background flush keeps retrying.
   */
  flush(): Promise<void> {
    this.ensureOpen('flush');
    return this.flusher.flush();
  }

  /**
   * Final flush, then removes this process's gauges and quits the connection (if the
   * registry created it). Rejects with `StoreUnavailableError` when the final flush or the
   * removal could not reach Redis (the gauges then expire after `gaugeTtlSeconds`).
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.flusher.stop();
    const { client, owned } = this.connection;
    let failure: unknown;
    try {
      await this.flusher.flush();
      await withTimeout(
        client
          .pipeline()
          .del(this.keys.process(this.processId))
          .zrem(this.keys.processes, this.processId)
          .del(this.keys.sequence(this.flusher.session))
          .exec(),
        this.options.commandTimeoutMs,
        () => new Error('no answer'),
      );
    } catch (error) {
      failure = error;
    }
    if (owned) {
      try {
        await withTimeout(
          client.quit(),
          this.options.commandTimeoutMs,
          () => new Error('no answer'),
        );
      } catch {
        client.disconnect();
      }
    }
    if (failure !== undefined) {
      throw new StoreUnavailableError(
        `close(): Redis at ${this.connection.where} did not take the final flush${this.flusher.hasPending ? ' (pending updates are lost)' : ''}; this process's gauges expire on their own`,
        { cause: failure },
      );
    }
  }

  /**
   * Deletes every key under the prefix (SCAN + UNLINK, never KEYS): all shared values of
   * every process. For tests and for retiring a metric definition.
   */
  async wipe(): Promise<number> {
    this.ensureOpen('wipe');
    const { client, where } = this.connection;
    try {
      await whenReady(this.connection, this.options.commandTimeoutMs);
    } catch (cause) {
      throw new StoreUnavailableError(`wipe(): Redis at ${where} is unavailable`, { cause });
    }
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', this.keys.pattern(), 'COUNT', 500);
      cursor = next;
      if (found.length > 0) deleted += await client.unlink(...found);
    } while (cursor !== '0');
    for (const shared of this.shared.values()) shared.resync();
    return deleted;
  }

  private ensureOpen(operation: string): void {
    if (this.closing !== undefined) {
      throw new StoreUnavailableError(
        `${operation}(): the Redis registry "${this.prefix}" is closed`,
      );
    }
  }

  private modeFor(metric: SharedInstance, kind: 'gauge' | 'info' | 'stateset'): GaugeMode {
    const configured = this.options.gaugeModes[metric.name];
    const mode = checkGaugeMode(
      metric.name,
      kind,
      configured ?? (kind === 'gauge' ? this.options.defaultGaugeMode : 'all'),
    );
    if (mode === 'all' || mode === 'liveall') {
      const label = this.options.processLabel;
      const declared = metric instanceof Info ? [] : metric.labelNames;
      if (declared.includes(label) || label in metric.constLabels) {
        throw new ConfigError(
          `Metric "${metric.name}": label "${label}" is the process label of gauge mode "${mode}"; rename the label or set processLabel`,
        );
      }
    }
    return mode;
  }
}

/**
 * Creates a registry shared through Redis. Switching a service from process-local to
 * shared metrics is this one line: pass the result where a `Registry` was passed.
 *
 * @example
 * const registry = createRedisRegistry({ redis: 'redis://127.0.0.1:6379', prefix: 'shop' });
 * const orders = new Counter('orders_total', 'Orders placed.', { registry });
 * orders.inc();
 * const { body, contentType } = await render(registry, req.headers.accept);
 */
export function createRedisRegistry(options: RedisRegistryOptions = {}): RedisRegistry {
  return new RedisRegistry(options);
}
