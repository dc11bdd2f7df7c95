import type { HttpMetricsOptions } from '@promkit/core';
import {
  createHttpMetrics,
  type HttpMetrics,
  type NodeResponseLike,
  type RequestTracker,
  ResponseTrackers,
} from '@promkit/core/http';
import type { Context, MiddlewareHandler, Next } from 'hono';
import { routeTemplate } from './route-template';
import { TimedBody } from './timed-body';

/**
 * Options of `metricsMiddleware`. The `labels` hook receives the context twice
 * (`(c) => ({ tenant: c.get('tenant') })`); `c.res` is the response.
 */
export type HonoMetricsOptions<L extends string = never> = HttpMetricsOptions<Context, Context, L>;

type Tracker = RequestTracker<Context, Context>;

/** The context variables the middleware sets: `c.get('promkitTracker')` is the request's tracker. */
export interface HonoMetricsVariables {
  promkitTracker?: Tracker;
}

/** The middleware's Hono `Env`: what it adds to the context. */
export interface HonoMetricsEnv {
  Variables: HonoMetricsVariables;
}

/** The middleware, with the shared instrumentation (metrics, options) behind it. */
export type HonoMetricsMiddleware<L extends string = never> = MiddlewareHandler<HonoMetricsEnv> & {
  readonly http: HttpMetrics<Context, Context, L>;
};

/** The tracker of the request `c` belongs to, if it is being measured. */
export function trackerOf(c: Context<HonoMetricsEnv>): Tracker | undefined {
  return c.get('promkitTracker');
}

/** On @hono/node-server: the tracker of each Node response being measured, until it closes. */
const outgoingResponses = new ResponseTrackers<Context, Context>();

/**
 * Measures every request. On @hono/node-server the response's own events time it to the
 * last byte; on other runtimes (and `app.request()`) the body stream is wrapped, and the
 * request's `AbortSignal` reports a client that went away. A response without a body to
 * read (HEAD, 204, 304) is recorded when the handler returns it.
 *
 * @example
 * app.use(metricsMiddleware());
 * app.get('/metrics', metricsHandler());
 */
export function metricsMiddleware<L extends string = never>(
  options?: HonoMetricsOptions<L>,
): HonoMetricsMiddleware<L> {
  const http = createHttpMetrics(options, { beforeRecord: settle });
  // Everything the instrumentation runs in Hono's middleware and in the response's
  // listener is contained: a fault is counted, never thrown into the app.
  const begin = http.contain(function begin(c: Context<HonoMetricsEnv>): Tracker | undefined {
    const t = http.start(c.req.method, c.req.path, c, c);
    if (t === undefined) return undefined;
    c.set('promkitTracker', t);
    const outgoing = nodeOutgoing(c.env);
    if (outgoing !== undefined) {
      outgoingResponses.track(outgoing, t);
      // Timed by the Node response's own events: nothing more to do after `next()`.
      return undefined;
    }
    c.req.raw.signal?.addEventListener('abort', t);
    return t;
  });
  /** Times the body to its last byte: wraps it, or ends the request when there is none. */
  const finish = http.contain(function finish(c: Context, t: Tracker): void {
    if (t.done) return;
    const res = c.res;
    // Nothing will read a body here: none (204, 304, `c.body(null)`), or one the runtime drops
    // for HEAD (Hono itself answers HEAD with `new Response(null, res)`, discarding any
    // wrapper). Recorded now, as a wrapped body that is never read would never end.
    if (res.body === null || c.req.method === 'HEAD') {
      t.end(res.status);
      return;
    }
    const timed = new Response(new ReadableStream(new TimedBody(res.body, t, res.status)), res);
    // Unset first: assigning over a response makes Hono copy every header again.
    c.res = undefined;
    c.res = timed;
  });
  // Not an async function: on @hono/node-server (t undefined) the request costs no promise
  // or await of its own, only Hono's `next()`.
  function promkitMetrics(c: Context<HonoMetricsEnv>, next: Next): Promise<void> {
    const t = begin(c);
    if (t === undefined) return next();
    return next().then(() => {
      finish(c, t);
    });
  }
  return Object.assign(promkitMetrics, { http });
}

/** Reads what the framework knows by the end: the route template and a thrown error. */
function settle(t: Tracker): void {
  const c = t.req;
  // The error first: it is known even when the route lookup below throws.
  if (c.error !== undefined) t.exception(c.error);
  const template = routeTemplate(c);
  if (template !== undefined) t.matched(template);
}

/** The Node response @hono/node-server passes as `c.env.outgoing`, duck-typed. */
function nodeOutgoing(env: unknown): NodeResponseLike | undefined {
  const outgoing = (env as { outgoing?: Partial<NodeResponseLike> } | undefined)?.outgoing;
  return typeof outgoing?.on === 'function' ? (outgoing as NodeResponseLike) : undefined;
}
