import { ConfigError, Counter, type Labels, REGISTRY, type Registry } from '@promkit/core';
import { version } from '../package.json';
import { backoffSeconds, retryAfterSeconds } from './backoff';
import {
  failureOf,
  RemoteWriteCollectError,
  type RemoteWriteError,
  RemoteWriteHttpError,
  RemoteWriteNetworkError,
  RemoteWriteTimeoutError,
} from './errors';
import { snappyCompress } from './snappy';
import { splitSeries, toTimeSeries } from './time-series';
import { encodeWriteRequest } from './write-request';

export type RemoteWriteAuth =
  | { readonly username: string; readonly password: string }
  | { readonly bearer: string };

export interface RemoteWriterOptions {
  /** The receiver's endpoint: Prometheus `…/api/v1/write`, VictoriaMetrics `…/api/v1/write`, Mimir `…/api/v1/push`. */
  readonly url: string;
  /** What is pushed. Default: the default registry. */
  readonly registry?: Registry;
  /** Seconds between pushes of `start()`, and the least between pushes of `pushIfDue()`. Default 15. */
  readonly intervalSeconds?: number;
  /**
   * Labels added to every series that lacks them, like Prometheus' `external_labels`. Give
   * each process an `instance` of its own (see the README: counters of many processes).
   */
  readonly externalLabels?: Labels;
  readonly auth?: RemoteWriteAuth;
  /** More request headers (a tenant header, say). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per attempt, aborted with an `AbortSignal`. Default 10. */
  readonly timeoutSeconds?: number;
  /** Largest number of samples in one request; bigger snapshots are split. Default 2000. */
  readonly maxSamplesPerRequest?: number;
  /** Attempts per request, the first included, for 5xx, 429, timeouts and network errors. Default 5. */
  readonly maxAttempts?: number;
  /** First retry delay; doubled per retry. Default 0.1. */
  readonly minBackoffSeconds?: number;
  /** Cap of the retry delay, and of a `Retry-After` the receiver asks for. Default 5. */
  readonly maxBackoffSeconds?: number;
  /**
   * Called with every failure of a background push (`start()`'s timer, `pushIfDue()`,
   * `stop()`'s final flush). Default: one `console.warn` per error code.
   */
  readonly onError?: (error: RemoteWriteError) => void;
  /**
   * Where this writer counts its own pushes (`promkit_remote_write_*`); `null` for nowhere.
   * Default: `registry`, so the counts are pushed too.
   */
  readonly metricsRegistry?: Registry | null;
}

const DEFAULT_INTERVAL_SECONDS = 15;
const USER_AGENT = `promkit-remote-write/${version}`;

function positive(option: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new ConfigError(
      `RemoteWriter: ${option} must be a positive number, got ${String(value)}`,
    );
  }
  return value;
}

function basicCredentials(username: string, password: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(`${username}:${password}`)) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}

function sleep(seconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, seconds * 1000));
}

/**
 * Pushes a registry to a Prometheus remote-write 1.0 receiver: a snapshot as a Snappy-
 * compressed `prometheus.WriteRequest`, split into requests of at most
 * `maxSamplesPerRequest` samples, retried with capped exponential backoff on 5xx, 429
 * (honouring `Retry-After`), timeouts and network errors, dropped on any other 4xx.
 * Runs wherever `fetch` does (Node 20, Bun, Deno, Workers).
 *
 * @example
 * const writer = new RemoteWriter({
 *   url: 'http://127.0.0.1:9090/api/v1/write',
 *   externalLabels: { job: 'batch', instance: crypto.randomUUID() },
 * });
 * writer.start();
 * // ... on shutdown: the last values are sent before it resolves.
 * await writer.stop();
 */
export class RemoteWriter {
  readonly url: string;
  readonly intervalSeconds: number;
  private readonly registry: Registry;
  private readonly externalLabels: Labels;
  private readonly headers: Record<string, string>;
  private readonly timeoutSeconds: number;
  private readonly maxSamples: number;
  private readonly maxAttempts: number;
  private readonly minBackoff: number;
  private readonly maxBackoff: number;
  private readonly onError: (error: RemoteWriteError) => void;
  private readonly failures: Counter<'reason'> | undefined;
  private readonly samples: Counter<never> | undefined;
  private readonly retries: Counter<never> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private inFlight: Promise<void> | undefined;
  private lastPushMs = Number.NEGATIVE_INFINITY;

  constructor(options: RemoteWriterOptions) {
    if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) {
      throw new ConfigError(
        `RemoteWriter: url must be an http(s) URL, got ${JSON.stringify(options?.url)}`,
      );
    }
    this.url = options.url;
    this.registry = options.registry ?? REGISTRY;
    this.intervalSeconds = positive(
      'intervalSeconds',
      options.intervalSeconds,
      DEFAULT_INTERVAL_SECONDS,
    );
    this.externalLabels = { ...options.externalLabels };
    this.timeoutSeconds = positive('timeoutSeconds', options.timeoutSeconds, 10);
    this.maxSamples = Math.floor(
      positive('maxSamplesPerRequest', options.maxSamplesPerRequest, 2000),
    );
    this.maxAttempts = Math.floor(positive('maxAttempts', options.maxAttempts, 5));
    this.minBackoff = positive('minBackoffSeconds', options.minBackoffSeconds, 0.1);
    this.maxBackoff = positive('maxBackoffSeconds', options.maxBackoffSeconds, 5);
    this.headers = {
      'content-encoding': 'snappy',
      'content-type': 'application/x-protobuf',
      'user-agent': USER_AGENT,
      'x-prometheus-remote-write-version': '0.1.0',
      ...options.headers,
    };
    const auth = options.auth;
    if (auth !== undefined) {
      this.headers.authorization =
        'bearer' in auth
          ? `Bearer ${auth.bearer}`
          : `Basic ${basicCredentials(auth.username, auth.password)}`;
    }
    this.onError = options.onError ?? warnOncePerCode();
    const own = options.metricsRegistry === undefined ? this.registry : options.metricsRegistry;
    if (own !== null) {
      this.failures = new Counter(
        'promkit_remote_write_failures_total',
        'Remote-write requests given up on, by reason (http, timeout, network, collect).',
        { labelNames: ['reason'] as const, registry: own },
      );
      this.samples = new Counter(
        'promkit_remote_write_samples_total',
        'Samples a remote-write receiver accepted.',
        { registry: own },
      );
      this.retries = new Counter(
        'promkit_remote_write_retries_total',
        'Remote-write requests sent again after a 5xx, 429, timeout or network error.',
        { registry: own },
      );
      // Every series exists from the start, so a query for a zero finds it.
      for (const reason of ['http', 'timeout', 'network', 'collect'] as const) {
        this.failures.labels({ reason });
      }
      this.samples.inc(0);
      this.retries.inc(0);
    }
  }

  /** Pushes every `intervalSeconds` until `stop()`. Failures go to `onError`, never throw. */
  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => void this.pushIfDue(0.5), this.intervalSeconds * 1000);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /**
   * Pushes when the last push started at least `intervalSeconds` ago (times `slack`) and
   * none is running; returns the push to hand to `waitUntil`, or `undefined`. Never rejects.
   */
  pushIfDue(slack = 1): Promise<void> | undefined {
    if (this.inFlight !== undefined) return undefined;
    if (Date.now() - this.lastPushMs < this.intervalSeconds * 1000 * slack) return undefined;
    return this.background();
  }

  /** Stops the timer and sends a last snapshot (after any push still running). Never rejects. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    await this.background();
  }

  /**
   * Pushes a snapshot now. Rejects with the typed error of the first request that failed
   * for good (later ones are still sent); it is also counted.
   */
  push(): Promise<void> {
    const run = this.run().finally(() => {
      if (this.inFlight === run) this.inFlight = undefined;
    });
    this.inFlight = run;
    return run;
  }

  private background(): Promise<void> {
    return this.push().catch((error: RemoteWriteError) => {
      try {
        this.onError(error);
      } catch {
        // A throwing hook must not reach the timer or the request that triggered the push.
      }
    });
  }

  private async run(): Promise<void> {
    this.lastPushMs = Date.now();
    let bodies: Uint8Array[];
    let sampleCounts: number[];
    try {
      const families = await this.registry.collect();
      const { series, metadata } = toTimeSeries(families, this.externalLabels);
      const timestampMs = Date.now();
      const batches = splitSeries(series, this.maxSamples);
      if (batches.length === 0) batches.push([]);
      bodies = batches.map((batch, i) =>
        snappyCompress(encodeWriteRequest(batch, i === 0 ? metadata : [], timestampMs)),
      );
      sampleCounts = batches.map((batch) => batch.length);
    } catch (cause) {
      throw this.count(
        new RemoteWriteCollectError(
          `Remote write to ${this.url}: collecting or encoding the registry failed: ${String(cause)}`,
          { cause },
        ),
      );
    }
    let first: RemoteWriteError | undefined;
    for (let i = 0; i < bodies.length; i++) {
      try {
        await this.send(bodies[i]!);
        this.samples?.inc(sampleCounts[i]!);
      } catch (error) {
        first ??= this.count(error as RemoteWriteError);
        if (first !== error) this.count(error as RemoteWriteError);
      }
    }
    if (first !== undefined) throw first;
  }

  private count(error: RemoteWriteError): RemoteWriteError {
    this.failures?.inc({ reason: failureOf(error) });
    return error;
  }

  /** One request, with its retries. */
  private async send(body: Uint8Array): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const failed = await this.attempt(body, attempt);
      if (failed === undefined) return;
      if (!failed.retry || attempt >= this.maxAttempts) throw failed.error;
      this.retries?.inc();
      await sleep(failed.waitSeconds ?? backoffSeconds(attempt, this.minBackoff, this.maxBackoff));
    }
  }

  /** One POST: `undefined` when accepted, else the error and whether to send it again. */
  private async attempt(body: Uint8Array, attempt: number): Promise<Failed | undefined> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: this.headers,
        body: body as Uint8Array<ArrayBuffer>,
        signal: AbortSignal.timeout(this.timeoutSeconds * 1000),
      });
      text = await response.text();
    } catch (cause) {
      const of = `(attempt ${attempt} of ${this.maxAttempts})`;
      const error = isTimeout(cause)
        ? new RemoteWriteTimeoutError(
            `Remote write to ${this.url}: no answer within ${this.timeoutSeconds} s ${of}`,
            { cause },
          )
        : new RemoteWriteNetworkError(
            `Remote write to ${this.url} failed ${of}: ${String((cause as Error)?.cause ?? cause)}`,
            { cause },
          );
      return { error, retry: true };
    }
    if (response.ok) return undefined;
    const error = new RemoteWriteHttpError({
      status: response.status,
      body: text,
      url: this.url,
      attempts: attempt,
    });
    const waitSeconds = retryAfterSeconds(
      response.headers.get('retry-after'),
      Date.now(),
      this.maxBackoff,
    );
    return { error, retry: error.retryable, waitSeconds };
  }
}

interface Failed {
  readonly error: RemoteWriteError;
  readonly retry: boolean;
  /** What `Retry-After` asked for, if anything. */
  readonly waitSeconds?: number | undefined;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

function warnOncePerCode(): (error: RemoteWriteError) => void {
  const seen = new Set<string>();
  return (error) => {
    if (seen.has(error.code)) return;
    seen.add(error.code);
    console.warn(`[promkit] ${error.message} (further ${error.code} errors are only counted)`);
  };
}
