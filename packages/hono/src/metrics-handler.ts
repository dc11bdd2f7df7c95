import type { MetricsHandlerOptions } from '@promkit/core';
import { metricsResponder } from '@promkit/core/http';
import type { Context, Handler } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import { trackerOf } from './metrics-middleware';

/**
 * Serves the registry in the format the `Accept` header asks for (text 0.0.4,
 * OpenMetrics or protobuf) as a Web `Response`, gzipped when accepted, with HEAD, auth
 * and a 503 for an unavailable store: core's one metrics responder. Requests to it are
 * never counted.
 *
 * @example
 * app.get('/metrics', metricsHandler({ auth: { bearer: env.METRICS_TOKEN } }));
 */
export function metricsHandler(options?: MetricsHandlerOptions): Handler {
  const respond = metricsResponder(options);
  return async function promkitMetricsHandler(c: Context): Promise<Response> {
    trackerOf(c)?.ignore();
    const { status, headers, body } = await respond({
      method: c.req.method,
      accept: c.req.header('accept'),
      acceptEncoding: c.req.header('accept-encoding'),
      authorization: c.req.header('authorization'),
    });
    if (body === null) return c.body(null, status as StatusCode, headers);
    if (headers['Content-Encoding'] !== undefined) {
      // Workers compress a body whose Content-Encoding is set unless told it already is;
      // other runtimes ignore the option.
      return new Response(
        body as BodyInit,
        {
          status,
          headers,
          encodeBody: 'manual',
        } as ResponseInit,
      );
    }
    return c.body(
      body as string | Uint8Array<ArrayBuffer> | ReadableStream<Uint8Array>,
      status as ContentfulStatusCode,
      headers,
    );
  };
}
