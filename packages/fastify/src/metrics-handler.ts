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
 * (text 0.0.4, OpenMetrics or protobuf). Requests to it are never counted. The plugin
 * adds one at `metricsPath`; use this to serve it elsewhere.
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
    const answer = await respond(request.headers.accept, request.headers.authorization);
    const body = answer.body;
    return reply
      .code(answer.status)
      .headers(answer.headers)
      .send(
        typeof body === 'string'
          ? body
          : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
      );
  };
}
