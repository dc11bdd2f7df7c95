import type { ServerResponse } from 'node:http';
import type { MetricsHandlerOptions } from '@promkit/core';
import { metricsResponder, type RequestTracker, ResponseTrackers } from '@promkit/core/http';
import type { FastifyReply, FastifyRequest } from 'fastify';

type Tracker = RequestTracker<FastifyRequest, FastifyReply>;
/**
 * The tracker of each response (`reply.raw`) being measured, until it closes: a WeakMap,
 * the plugin's per-request state, ended by the response's `close`.
 */
export const responses = new ResponseTrackers<FastifyRequest, FastifyReply>();

/** The tracker of the request `res` answers, if it is being measured. */
export function trackerOf(res: ServerResponse): Tracker | undefined {
  return responses.get(res);
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
