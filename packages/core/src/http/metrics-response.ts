import { ConfigError, StoreUnavailableError } from '../errors';
import { type Rendered, render } from '../exposition/render';
import type { Collector } from '../model';
import { REGISTRY } from '../registry';

/**
 * Protects the metrics endpoint: HTTP Basic credentials, a bearer token, or a function
 * given the `Authorization` header that says whether to answer.
 */
export type MetricsAuth =
  | { readonly username: string; readonly password: string }
  | { readonly bearer: string }
  | ((authorization: string | undefined) => boolean | Promise<boolean>);

export interface MetricsHandlerOptions {
  /** What to expose. Default: the global `REGISTRY`. */
  readonly registry?: Collector;
  /** Require credentials; without them (or with wrong ones) the answer is 401. */
  readonly auth?: MetricsAuth;
}

/** A framework-neutral answer to a scrape; adapters copy it onto their response. */
export interface MetricsResponse {
  /** 200; 401 when `auth` refused the request; 503 when the metrics' store is unavailable. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Text for the text formats, bytes for protobuf. */
  readonly body: string | Uint8Array;
}

export type MetricsResponder = (
  accept: string | null | undefined,
  authorization?: string | null,
) => Promise<MetricsResponse>;

const UNAUTHORIZED_BODY = 'Unauthorized\n';

/**
 * Resolves the options of a metrics endpoint once and returns the function that answers
 * each scrape, negotiating text 0.0.4, OpenMetrics or protobuf from the `Accept` header.
 *
 * @example
 * const respond = metricsResponder({ auth: { bearer: process.env.METRICS_TOKEN! } });
 * const { status, headers, body } = await respond(req.headers.accept, req.headers.authorization);
 */
export function metricsResponder(options: MetricsHandlerOptions = {}): MetricsResponder {
  const source = options.registry ?? REGISTRY;
  if (typeof source?.collect !== 'function') {
    throw new ConfigError('metricsHandler: registry must have a collect() method');
  }
  const check = authChecker(options.auth);
  return async function respondWithMetrics(accept, authorization): Promise<MetricsResponse> {
    if (check !== undefined && !(await check.allows(authorization ?? undefined))) {
      return {
        status: 401,
        headers: {
          'Content-Type': 'text/plain; charset=utf-8',
          'WWW-Authenticate': check.challenge,
        },
        body: UNAUTHORIZED_BODY,
      };
    }
    let rendered: Rendered;
    try {
      rendered = await render(source, accept);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      return {
        status: 503,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' },
        body: `Service Unavailable: ${error.message}\n`,
      };
    }
    return { status: 200, headers: { 'Content-Type': rendered.contentType }, body: rendered.body };
  };
}

interface AuthChecker {
  readonly challenge: string;
  allows(authorization: string | undefined): boolean | Promise<boolean>;
}

function authChecker(auth: MetricsAuth | undefined): AuthChecker | undefined {
  if (auth === undefined) return undefined;
  if (typeof auth === 'function') {
    return { challenge: 'Basic realm="metrics"', allows: (header) => auth(header) };
  }
  if ('bearer' in auth && typeof auth.bearer === 'string' && auth.bearer !== '') {
    return credentialChecker('Bearer', auth.bearer, 'Bearer realm="metrics"');
  }
  if (
    'username' in auth &&
    typeof auth.username === 'string' &&
    typeof auth.password === 'string'
  ) {
    const token = base64(`${auth.username}:${auth.password}`);
    return credentialChecker('Basic', token, 'Basic realm="metrics", charset="UTF-8"');
  }
  throw new ConfigError(
    'metricsHandler: auth must be { username, password }, { bearer } (non-empty) or a function',
  );
}

function credentialChecker(scheme: string, expected: string, challenge: string): AuthChecker {
  const lowerScheme = scheme.toLowerCase();
  return {
    challenge,
    allows(header) {
      if (header === undefined) return false;
      const space = header.indexOf(' ');
      if (space === -1 || header.slice(0, space).toLowerCase() !== lowerScheme) return false;
      return constantTimeEqual(header.slice(space + 1).trim(), expected);
    },
  };
}

/** Compares in time that depends only on `expected`'s length. */
function constantTimeEqual(given: string, expected: string): boolean {
  let diff = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) {
    diff |= (given.charCodeAt(i) | 0) ^ expected.charCodeAt(i);
  }
  return diff === 0;
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
