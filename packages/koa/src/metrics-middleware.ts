import type { ServerResponse } from 'node:http';
import type { HttpMetricsOptions } from '@promkit/core';
import {
  createHttpMetrics,
  type HttpMetrics,
  type RequestTracker,
  ResponseTrackers,
} from '@promkit/core/http';
import type { Context, Middleware, Next, Response } from 'koa';

/** Options of `metricsMiddleware`; the `labels` hook receives `(ctx, ctx.response)`. */
export type KoaMetricsOptions<L extends string = never> = HttpMetricsOptions<Context, Response, L>;

/** The middleware, with the shared instrumentation (metrics, options) behind it. */
export interface KoaMetricsMiddleware<L extends string = never> extends Middleware {
  readonly http: HttpMetrics<Context, Response, L>;
}

type Tracker = RequestTracker<Context, Response>;
/** The tracker of each Node response (`ctx.res`) being measured (a WeakMap), until it closes. */
const responses = new ResponseTrackers<Context, Response>();

/** The tracker of the request `res` answers, if it is being measured. */
export function trackerOf(res: ServerResponse): Tracker | undefined {
  return responses.get(res);
}

/** `@koa/router` leaves the matched route's full template (prefixes included) here. */
interface RoutedContext {
  readonly _matchedRoute?: unknown;
}

/**
 * Measures every request: add it before your router. Templates come from `@koa/router`
 * (`ctx._matchedRoute`), prefixes and nested routers included.
 *
 * @example
 * app.use(metricsMiddleware());
 * app.use(router.routes());
 */
export function metricsMiddleware<L extends string = never>(
  options?: KoaMetricsOptions<L>,
): KoaMetricsMiddleware<L> {
  const http = createHttpMetrics(options, { beforeRecord: matchRoute });
  // Everything the instrumentation runs in Koa's middleware and in the response's
  // listener is contained: a fault is counted, never thrown into the app.
  const begin = http.contain(function begin(ctx: Context): Tracker | undefined {
    const t = http.start(ctx.method, ctx.originalUrl, ctx, ctx.response);
    if (t !== undefined) responses.track(ctx.res, t);
    return t;
  });
  const countError = http.contain((t: Tracker, error: unknown) => t.exception(error));
  // Not an async function: a rejection handler on `next()`'s promise costs less per request
  // than suspending and resuming an async frame.
  function promkitMetrics(ctx: Context, next: Next): Promise<void> {
    const t = begin(ctx);
    if (t === undefined) return next();
    let done: Promise<unknown>;
    try {
      done = next();
    } catch (error) {
      countError(t, error);
      return Promise.reject(error);
    }
    return Promise.resolve(done).then(ignoreResult, (error: unknown) => {
      countError(t, error);
      throw error;
    });
  }
  return Object.assign(promkitMetrics, { http });
}

function ignoreResult(): void {}

/** The router has set the template before the handler runs, so it is there even on abort. */
function matchRoute(t: Tracker): void {
  const template = (t.req as RoutedContext)._matchedRoute;
  if (typeof template === 'string') t.matched(template);
}
