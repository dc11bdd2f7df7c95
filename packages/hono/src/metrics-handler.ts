import type { MetricsHandlerOptions } from '@promkit/core';
import { metricsResponder } from '@promkit/core/http';
import type { Context, Handler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { trackerOf } from './metrics-middleware';

/**
 * Serves the registry in the format the `Accept` header asks for (text 0.0.4,
 * OpenMetrics or protobuf) as a Web `Response`. Requests to it are never counted.
 *
 * @example
 * app.get('/metrics', metricsHandler({ auth: { bearer: env.METRICS_TOKEN } }));
 */
export function metricsHandler(options?: MetricsHandlerOptions): Handler {
  const respond = metricsResponder(options);
  return async function promkitMetricsHandler(c: Context): Promise<Response> {
    trackerOf(c)?.ignore();
    const answer = await respond(c.req.header('accept'), c.req.header('authorization'));
    const body = answer.body;
    return c.body(
      typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>),
      answer.status as ContentfulStatusCode,
      answer.headers,
    );
  };
}
