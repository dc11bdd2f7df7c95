import { type Collector, ConfigError, collectFamilies, REGISTRY } from '@promkit/core';
import { PushAbortedError, PushConnectionError, PushError, PushTimeoutError } from './errors';
import { PUSH_FORMATS, type PushBody, type PushFormat, pushBody } from './push-body';
import { groupPath } from './push-url';
import { stripTimestamps } from './strip-timestamps';

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_ERROR_BODY_CHARS = 2000;

export interface PusherOptions {
  /** Labels identifying the group besides `job`, e.g. `{ instance: 'host-1' }`. */
  readonly groupingKey?: Readonly<Record<string, string>>;
  /** Abort a request that takes longer. Default 10 000 ms. */
  readonly timeoutMs?: number;
  /** Extra request headers, e.g. `Authorization`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Registry pushed when a call names none. Default `REGISTRY`. */
  readonly registry?: Collector;
  /**
   * Body format: `auto` (the default) pushes delimited protobuf when the registry holds
   * native histograms or exemplars (text would drop them) and text 0.0.4 otherwise;
   * `protobuf` or `text` force one.
   */
  readonly format?: PushFormat;
}

export interface PushCallOptions {
  /** Aborts the request (`PushAbortedError`). */
  readonly signal?: AbortSignal;
}

export interface PushResult {
  /** The Pushgateway's status: 200 for a push, 202 for a delete. */
  readonly status: number;
}

export type PushMethod = 'replace' | 'add';

export interface PeriodicPushOptions {
  /** Time between the end of one push and the start of the next. */
  readonly intervalMs: number;
  /** `replace` (PUT, the default) or `add` (POST). */
  readonly method?: PushMethod;
  /** Registry to push. Default: the pusher's registry. */
  readonly registry?: Collector;
  /** What `stop()` does last: push once more (default), delete the group, or nothing. */
  readonly onStop?: 'push' | 'delete' | 'none';
  /** Told about every failed push. Default: one `console.warn` line per failure. */
  readonly onError?: (error: Error) => void;
}

export interface PeriodicPush {
  /** Stops the schedule, waits for a push in flight, then runs `onStop`. Never rejects. */
  stop(): Promise<void>;
}

/**
 * Pushes a registry to a Prometheus Pushgateway with sample timestamps removed (the
 * Pushgateway rejects them): as delimited protobuf when it holds native histograms or
 * exemplars, as text 0.0.4 otherwise (see `format`).
 *
 * @example
 * const pusher = new Pusher('nightly-backup', 'http://127.0.0.1:9091', {
 *   groupingKey: { instance: 'db-1' },
 * });
 * await pusher.replace(registry); // PUT: the group now holds exactly these metrics
 */
export class Pusher {
  /** The group's URL on the gateway. */
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly registry: Collector;
  private readonly format: PushFormat;

  constructor(job: string, gatewayUrl: string, options: PusherOptions = {}) {
    let base: URL;
    try {
      base = new URL(gatewayUrl);
    } catch (cause) {
      throw new ConfigError(`Pusher: gateway URL ${JSON.stringify(gatewayUrl)} is not a URL`, {
        cause,
      });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new ConfigError(
        `Pusher: gateway URL must be http(s), got ${JSON.stringify(gatewayUrl)}`,
      );
    }
    const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.url = prefix + groupPath(job, options.groupingKey);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
      throw new ConfigError(`Pusher: timeoutMs must be a positive number, got ${timeoutMs}`);
    }
    this.timeoutMs = timeoutMs;
    this.headers = { ...options.headers };
    this.registry = options.registry ?? REGISTRY;
    const format = options.format ?? 'auto';
    if (!PUSH_FORMATS.includes(format)) {
      throw new ConfigError(
        `Pusher: format must be one of ${PUSH_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
      );
    }
    this.format = format;
  }

  /** PUT: the group afterwards holds exactly the pushed metrics. */
  replace(registry: Collector = this.registry, options: PushCallOptions = {}): Promise<PushResult> {
    return this.push('PUT', registry, options);
  }

  /** POST: replaces only the metrics with the pushed names; others in the group stay. */
  add(registry: Collector = this.registry, options: PushCallOptions = {}): Promise<PushResult> {
    return this.push('POST', registry, options);
  }

  /** DELETE: removes the whole group from the gateway. */
  delete(options: PushCallOptions = {}): Promise<PushResult> {
    return this.request('DELETE', undefined, options.signal);
  }

  /**
   * Pushes now and then every `intervalMs` until `stop()`, which pushes a last time.
   * Failures go to `onError`, never to an unhandled rejection.
   *
   * @example
   * const periodic = pusher.startPeriodic({ intervalMs: 15_000 });
   * process.once('SIGTERM', () => void periodic.stop());
   */
  startPeriodic(options: PeriodicPushOptions): PeriodicPush {
    const { intervalMs } = options;
    if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
      throw new ConfigError(
        `Pusher.startPeriodic: intervalMs must be a positive number, got ${intervalMs}`,
      );
    }
    const registry = options.registry ?? this.registry;
    const method = options.method ?? 'replace';
    const onStop = options.onStop ?? 'push';
    const onError =
      options.onError ?? ((error: Error) => console.warn(`promkit Pusher: ${error.message}`));
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let inFlight: Promise<void> = Promise.resolve();

    const runSafely = (action: () => Promise<unknown>): Promise<void> =>
      action().then(
        () => undefined,
        (error: unknown) => onError(error instanceof Error ? error : new Error(String(error))),
      );
    const pushOnce = (): Promise<PushResult> =>
      method === 'add' ? this.add(registry) : this.replace(registry);
    const tick = (): void => {
      timer = undefined;
      inFlight = runSafely(pushOnce).then(() => {
        if (stopped) return;
        timer = setTimeout(tick, intervalMs);
        timer.unref();
      });
    };
    tick();

    return {
      stop: async () => {
        if (stopped) return inFlight;
        stopped = true;
        if (timer !== undefined) clearTimeout(timer);
        await inFlight;
        if (onStop === 'push') inFlight = runSafely(pushOnce);
        else if (onStop === 'delete') inFlight = runSafely(() => this.delete());
        await inFlight;
      },
    };
  }

  private async push(
    method: 'PUT' | 'POST',
    registry: Collector,
    options: PushCallOptions,
  ): Promise<PushResult> {
    const families = await collectFamilies(registry);
    return this.request(method, pushBody(stripTimestamps(families), this.format), options.signal);
  }

  private async request(
    method: 'PUT' | 'POST' | 'DELETE',
    push: PushBody | undefined,
    signal: AbortSignal | undefined,
  ): Promise<PushResult> {
    const label = `${method} ${this.url}`;
    if (signal?.aborted === true) {
      throw new PushAbortedError(`${label} was aborted before it started`, {
        cause: signal.reason,
      });
    }
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    const headers: Record<string, string> = { ...this.headers };
    if (push !== undefined) headers['Content-Type'] = push.contentType;
    try {
      const response = await fetch(this.url, {
        method,
        headers,
        ...(push === undefined ? {} : { body: push.body as string | Uint8Array<ArrayBuffer> }),
        signal: combined,
      });
      const text = await response.text();
      if (!response.ok) {
        const shown =
          text.length > MAX_ERROR_BODY_CHARS ? `${text.slice(0, MAX_ERROR_BODY_CHARS)}…` : text;
        throw new PushError(`${label} answered ${response.status}: ${shown.trim()}`, {
          status: response.status,
          body: text,
          url: this.url,
        });
      }
      return { status: response.status };
    } catch (error) {
      if (error instanceof PushError) throw error;
      if (timeout.aborted) {
        throw new PushTimeoutError(`${label} got no answer within ${this.timeoutMs} ms`, {
          cause: error,
        });
      }
      if (signal !== undefined && isAborted(signal)) {
        throw new PushAbortedError(`${label} was aborted`, { cause: signal.reason });
      }
      const cause = (error as { cause?: unknown }).cause ?? error;
      throw new PushConnectionError(
        `${label} failed: the Pushgateway could not be reached (${describe(cause)})`,
        { cause },
      );
    }
  }
}

// A function call, so TypeScript does not keep the narrowing from the check before the request.
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code)
      ? `${code}: ${cause.message}`
      : cause.message;
  }
  return String(cause);
}
