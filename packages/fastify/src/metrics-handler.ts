import type { ServerResponse } from 'node:http';
import type { MetricsHandlerOptions } from '@promkit/core';
import { metricsResponder, type RequestTracker } from '@promkit/core/http';
import type { FastifyReply, FastifyRequest } from 'fastify';

type Tracker = RequestTracker<FastifyRequest, FastifyReply>;
const TRACKER = Symbol.for('promkit.fastify.tracker');
type Tracked = ServerResponse & { [TRACKER]?: Tracker };

/** The tracker of the request `res` answers, if it is being measured. */
export function trackerOf(res: ServerResponse): Tracker | undefined {
  return (res as Tracked)[TRACKER];
}

/** Remembers `t` as the tracker of the request `res` answers. */
export function track(res: ServerResponse, t: Tracker): void {
  (res as Tracked)[TRACKER] = t;
}

/**
 * A route handler serving the registry in the format the `Accept` header asks for
 * (text 0.0.4, OpenMetrics or protobuf), gzipped when accepted, with HEAD, auth and a 503
 * for an unavailable store: core's one metrics responder. Requests to it are never
 * counted. The plugin adds one at `metricsPath`; use this to serve it elsewhere.
 *
 * @example
 * app.get('/internal/metrics', metricsHandler({ registry }));
 */
export function metricsHandler(
  options?: MetricsHandlerOptions,
): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  const respond = metricsResponder(options);
  return async function promkitMetricsHandler(request, reply) {
    trackerOf(reply.raw)?.ignore();
    const { status, headers, body } = await respond({
      // Fastify answers HEAD through the GET route and strips the body itself, setting
      // Content-Length from it: so render as for GET.
      method: request.method === 'HEAD' ? 'GET' : request.method,
      accept: request.headers.accept,
      acceptEncoding: request.headers['accept-encoding'],
      authorization: request.headers.authorization,
    });
    reply.code(status).headers(headers);
    if (body === null) return reply.send();
    if (body instanceof ReadableStream || typeof body === 'string') return reply.send(body);
    return reply.send(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  };
}
