import { randomUUID } from 'node:crypto';
import { ConfigError, withTimeout } from '@promkit/core';
import { type Batch, type BatchHeader, buildBatch } from './batch';
import { runFlushScript, type StoreConnection, whenReady } from './connection';
import { MetricConflictError, StoreUnavailableError } from './errors';
import { type FlushReply, parseFlushReply } from './flush-script';
import type { ResolvedOptions } from './options';
import type { SharedMetric } from './shared-metric';

/** A session's last sequence number outlives any plausible outage of a running process. */
const SESSION_TTL_MS = 24 * 3600 * 1000;

export interface FlusherHooks {
  /** The metrics to flush, in registration order. */
  metrics(): Iterable<SharedMetric>;
  /** Counts a failed flush (the shared `promkit_redis_flush_errors_total`). */
  countFailure(): void;
}

/**
 * Sends local changes to Redis: one script call per tick, one batch in flight, the same
 * batch resent until acknowledged. Never throws into the timer; `flush()` reports.
 */
export class Flusher {
  readonly session = randomUUID();
  /** Gauge fields of unregistered metrics, deleted by the next acknowledged batch. */
  readonly orphans = new Set<string>();
  private readonly header: BatchHeader;
  private seq = 0;
  private pending: Batch | undefined;
  private running: Promise<void> | undefined;
  /** A script call whose reply has not arrived (even if we stopped waiting for it). */
  private unsettled: Promise<unknown> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastAckMs = Number.NEGATIVE_INFINITY;
  private everAcked = false;
  private inOutage = false;
  private stopped = false;

  constructor(
    private readonly connection: StoreConnection,
    private readonly options: ResolvedOptions,
    private readonly hooks: FlusherHooks,
  ) {
    this.header = {
      prefix: options.prefix,
      session: this.session,
      processId: options.processId,
      gaugeTtlMs: options.gaugeTtlMs,
      sessionTtlMs: SESSION_TTL_MS,
    };
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** Whether a batch is waiting for Redis to acknowledge it. */
  get hasPending(): boolean {
    return this.pending !== undefined;
  }

  private tick(): void {
    if (this.running !== undefined || this.stopped) return;
    this.flush().catch(() => {});
  }

  /**
   * Resolves once every change recorded before the call is in Redis; rejects with
   * `StoreUnavailableError` when Redis did not acknowledge (the changes stay pending).
   */
  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running.catch(() => {});
    const run = this.drain().then(
      () => this.recovered(),
      (error: unknown) => this.failed(error),
    );
    this.running = run.finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    let more = this.pending !== undefined;
    for (;;) {
      if (this.pending === undefined) {
        const batch = buildBatch(
          this.hooks.metrics(),
          this.header,
          this.seq + 1,
          this.options.maxBatchOperations,
          [...this.orphans],
        );
        for (const shared of batch.unsupported) {
          this.options.onError(new ConfigError(shared.unsupported!));
        }
        const heartbeatDue = Date.now() - this.lastAckMs >= this.options.heartbeatIntervalMs;
        if (batch.operations === 0 && !heartbeatDue) return;
        this.seq++;
        this.pending = batch;
      }
      const batch = this.pending;
      const reply = await this.send(batch);
      this.pending = undefined;
      this.acknowledge(batch, reply);
      if (!batch.full && !more) return;
      more = false;
    }
  }

  private async send(batch: Batch): Promise<FlushReply> {
    if (this.unsettled !== undefined) {
      throw new StoreUnavailableError(
        `Redis at ${this.connection.where} has not answered the previous flush yet`,
      );
    }
    const timeoutMs = this.options.commandTimeoutMs;
    try {
      await whenReady(this.connection, timeoutMs);
    } catch (cause) {
      throw this.unavailable(batch, cause);
    }
    const call = runFlushScript(this.connection.client, batch.argv);
    this.unsettled = call;
    const settle = (): void => {
      if (this.unsettled === call) this.unsettled = undefined;
    };
    call.then(settle, settle);
    try {
      return parseFlushReply(
        await withTimeout(call, timeoutMs, () => new Error(`no answer within ${timeoutMs} ms`)),
      );
    } catch (cause) {
      throw this.unavailable(batch, cause);
    }
  }

  private unavailable(batch: Batch, cause: unknown): StoreUnavailableError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new StoreUnavailableError(
      `Redis at ${this.connection.where} did not take the flush of ${batch.operations} updates (${detail}); they are kept and resent`,
      { cause },
    );
  }

  private acknowledge(batch: Batch, reply: FlushReply): void {
    batch.commit(reply);
    for (const field of batch.orphans) this.orphans.delete(field);
    for (const { name, storedShape } of reply.conflicts) {
      const shared = [...this.hooks.metrics()].find((m) => m.name === name);
      if (shared === undefined) continue;
      shared.status = 'refused';
      this.options.onError(
        new MetricConflictError(
          `Metric "${name}" is stored in Redis (prefix "${this.options.prefix}") as ${storedShape} but this process defines it as ${shared.definition().shape}: its values are not shared. Rename it, or delete the stored metric (registry.wipe()) once no process uses the old definition.`,
        ),
      );
    }
    const missing = new Set(reply.missingMeta);
    const lostProcessHash = !reply.processHashExisted && this.everAcked;
    for (const shared of this.hooks.metrics()) {
      if (lostProcessHash) shared.resync();
      else if (missing.has(shared.name) && shared.status === 'confirmed') shared.status = 'unsent';
    }
    this.everAcked = true;
    this.lastAckMs = Date.now();
  }

  private recovered(): void {
    this.inOutage = false;
  }

  private failed(error: unknown): never {
    this.hooks.countFailure();
    const reported =
      error instanceof StoreUnavailableError
        ? error
        : new StoreUnavailableError(
            `flush to Redis at ${this.connection.where} failed: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
    if (!this.inOutage) {
      this.inOutage = true;
      this.options.onError(reported);
    }
    throw reported;
  }
}
