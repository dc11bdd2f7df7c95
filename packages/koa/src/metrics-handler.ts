import type { MetricsHandlerOptions } from '@promkit/core';
import { metricsResponder } from '@promkit/core/http';
import type { Context, Middleware } from 'koa';
import { trackerOf } from './metrics-middleware';

/**
 * Serves the registry in the format the `Accept` header asks for (text 0.0.4,
 * OpenMetrics or protobuf). Requests to it are never counted.
 *
 * @example
 * router.get('/metrics', metricsHandler());
 */
export function metricsHandler(options?: MetricsHandlerOptions): Middleware {
  const respond = metricsResponder(options);
  return async function promkitMetricsHandler(ctx: Context): Promise<void> {
    trackerOf(ctx.res)?.ignore();
    const answer = await respond(ctx.get('accept'), ctx.get('authorization') || undefined);
    ctx.status = answer.status;
    ctx.set(answer.headers);
    const body = answer.body;
    ctx.body =
      typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  };
}
