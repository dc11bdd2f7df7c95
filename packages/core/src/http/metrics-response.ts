import { concatBytes } from '../concat-bytes';
import { ConfigError, StoreUnavailableError } from '../errors';
import { type RenderOptions, renderStream } from '../exposition/render';
import type { Collector } from '../model';
import { REGISTRY } from '../registry';
import { acceptsGzip } from './accept-encoding';
import { gzipBytes, gzipStream, prepareGzip } from './gzip';
import { createAuthCheck, type MetricsAuth } from './metrics-auth';

export interface MetricsHandlerOptions extends RenderOptions {
  /** What to expose. Default: the global `REGISTRY`. */
  readonly registry?: Collector;
  /** Require credentials; without them (or with wrong ones) the answer is 401. */
  readonly auth?: MetricsAuth;
  /** Realm named in the 401 `WWW-Authenticate` challenge. Default `metrics`. */
  readonly realm?: string;
  /** Gzip the page when the client's `Accept-Encoding` allows it. Default true. */
  readonly compression?: boolean;
  /**
   * Told about every failed scrape: an unavailable store (the client gets 503 and
   * `Retry-After`) or anything else (a 500 with a generic body). Default: one
   * `console.warn` line per failure.
   */
  readonly onError?: (error: unknown) => void;
}

/** What the responder reads from a scrape request; adapters pass their headers through. */
export interface MetricsRequest {
  /** `HEAD` answers with the headers of a `GET` and no body. Default `GET`. */
  readonly method?: string | null;
  readonly accept?: string | null;
  readonly acceptEncoding?: string | null;
  readonly authorization?: string | null;
}

/** A body in any shape a server can send: text, bytes, or a stream of bytes. */
export type MetricsBody = string | Uint8Array | ReadableStream<Uint8Array>;

/** A framework-neutral answer to a scrape; adapters copy it onto their response. */
export interface MetricsResponse {
  /** 200; 401 when `auth` refused the request; 503 when the store is unavailable; 500 otherwise. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** `null` for `HEAD`. A stream has no `Content-Length` header. */
  readonly body: MetricsBody | null;
}

/** Answers one scrape. Never rejects: every failure is already a response. */
export type MetricsResponder = (request: MetricsRequest) => Promise<MetricsResponse>;

/** Seconds a client is asked to wait after a 503. */
export const RETRY_AFTER_SECONDS = 5;
const TEXT_PLAIN = 'text/plain; charset=utf-8';
const encoder = new TextEncoder();
/**
 * Pages of more series than this are sent as they are made (chunked, no
 * `Content-Length`), never held whole next to their gzip copy; smaller ones are buffered.
 */
export const STREAM_ABOVE_POINTS = 10_000;

/**
 * Resolves the options of a metrics endpoint once and returns the function that answers
 * each scrape: content negotiation (text 0.0.4, OpenMetrics, protobuf), HEAD, gzip,
 * auth with a 401 challenge, 503 + `Retry-After` for an unavailable store, 500 for the
 * rest. Every promkit server (adapters, `Service`, exporters) answers through it.
 *
 * @example
 * const respond = metricsResponder({ auth: { bearer: process.env.METRICS_TOKEN! } });
 * const { status, headers, body } = await respond({
 *   method: req.method,
 *   accept: req.headers.accept,
 *   acceptEncoding: req.headers['accept-encoding'],
 *   authorization: req.headers.authorization,
 * });
 */
export function metricsResponder(options: MetricsHandlerOptions = {}): MetricsResponder {
  const source = options.registry ?? REGISTRY;
  if (typeof source?.collect !== 'function') {
    throw new ConfigError(
      `metricsHandler: registry must have a collect() method, got ${String(source)}`,
    );
  }
  const check = createAuthCheck(options.auth, options.realm);
  const renderOptions: RenderOptions | undefined =
    options.openMetricsCreated === true ? { openMetricsCreated: true } : undefined;
  const compression = options.compression ?? true;
  if (compression) prepareGzip();
  const onError =
    options.onError ??
    ((error: unknown) => console.warn(`promkit: serving metrics failed: ${String(error)}`));
  const report = (error: unknown): void => {
    try {
      onError(error);
    } catch {
      // A failing error reporter must not turn the 500 into a crash.
    }
  };

  return async function respondWithMetrics(request): Promise<MetricsResponse> {
    const head = request.method?.toUpperCase() === 'HEAD';
    try {
      if (check !== undefined && !(await check.allows(request.authorization ?? undefined))) {
        return plain(401, 'Unauthorized\n', head, { 'WWW-Authenticate': check.challenge });
      }
      const rendered = await renderStream(source, request.accept, renderOptions);
      const gzip = compression && acceptsGzip(request.acceptEncoding);
      const headers: Record<string, string> = {
        'Content-Type': rendered.contentType,
        ...COMMON_HEADERS,
      };
      if (gzip) headers['Content-Encoding'] = 'gzip';
      // HEAD is buffered whatever the size: its `Content-Length` is the page's.
      if (rendered.points > STREAM_ABOVE_POINTS && !head) {
        return { status: 200, headers, body: gzip ? gzipStream(rendered.body) : rendered.body };
      }
      const bytes = await readAll(rendered.body);
      const sent = gzip ? await gzipBytes(bytes) : bytes;
      headers['Content-Length'] = String(sent.byteLength);
      return { status: 200, headers, body: head ? null : sent };
    } catch (error) {
      report(error);
      if (error instanceof StoreUnavailableError) {
        return plain(503, `Service Unavailable: ${error.message}\n`, head, {
          'Retry-After': String(RETRY_AFTER_SECONDS),
        });
      }
      return plain(500, 'Internal Server Error\n', head, {});
    }
  };
}

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  Vary: 'Accept, Accept-Encoding',
  'Cache-Control': 'no-store',
};

function plain(
  status: number,
  text: string,
  head: boolean,
  extra: Readonly<Record<string, string>>,
): MetricsResponse {
  const bytes = encoder.encode(text);
  return {
    status,
    headers: {
      'Content-Type': TEXT_PLAIN,
      ...COMMON_HEADERS,
      ...extra,
      'Content-Length': String(bytes.byteLength),
    },
    body: head ? null : bytes,
  };
}

/** The whole of a (small) page's stream, as one byte array. */
async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return concatBytes(parts);
}
