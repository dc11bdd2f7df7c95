import { Readable } from 'node:stream';
import type { MetricsHandlerOptions } from '@promkit/core';
import { metricsResponder } from '@promkit/core/http';
import type { Context, Middleware } from 'koa';
import { trackerOf } from './metrics-middleware';

/**
 * Serves the registry in the format the `Accept` header asks for (text 0.0.4,
 * OpenMetrics or protobuf), gzipped when accepted, with HEAD, auth and a 503 for an
 * unavailable store: core's one metrics responder. Requests to it are never counted.
 *
 * @example
 * router.get('/metrics', metricsHandler());
 */
export function metricsHandler(options?: MetricsHandlerOptions): Middleware {
  const respond = metricsResponder(options);
  return async function promkitMetricsHandler(ctx: Context): Promise<void> {
    trackerOf(ctx.res)?.ignore();
    const { status, headers, body } = await respond({
      method: ctx.method,
      accept: ctx.get('accept'),
      acceptEncoding: ctx.get('accept-encoding'),
      authorization: ctx.get('authorization') || undefined,
    });
    ctx.status = status;
    // Koa answers a null body with 204; for HEAD it sends no body and keeps our Content-Length.
    ctx.body =
      body === null
        ? Buffer.alloc(0)
        : body instanceof ReadableStream
          ? Readable.fromWeb(body as never)
          : typeof body === 'string'
            ? body
            : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    ctx.set(headers);
  };
}
