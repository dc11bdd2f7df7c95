import type { ServerResponse } from 'node:http';
import type { HttpMetricsOptions, MetricsAuth } from '@promkit/core';
import { createHttpMetrics, type HttpMetrics, onResponseClose } from '@promkit/core/http';
import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import fp from 'fastify-plugin';
import { metricsHandler, track, trackerOf } from './metrics-handler';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `true` leaves this route out of the HTTP metrics. */
    disableMetrics?: boolean;
  }
  interface FastifyInstance {
    /** The HTTP instrumentation `@promkit/fastify` registered (metrics, options). */
    promkitMetrics: HttpMetrics<FastifyRequest, FastifyReply, string>;
  }
}

/** Options of the plugin; the `labels` hook receives `(request, reply)`. */
export interface FastifyMetricsOptions<L extends string = never>
  extends HttpMetricsOptions<FastifyRequest, FastifyReply, L> {
  /** Where to serve the registry; `false` adds no route. Default `/metrics`. */
  readonly metricsPath?: string | false;
  /** Credentials the metrics route requires. */
  readonly auth?: MetricsAuth;
}

async function promkitMetrics(
  fastify: FastifyInstance,
  options: FastifyMetricsOptions<string>,
): Promise<void> {
  if (fastify.hasDecorator('promkitMetrics')) {
    fastify.log.warn(
      '@promkit/fastify is already registered on this instance; ignoring the second registration',
    );
    return;
  }
  const http = createHttpMetrics<FastifyRequest, FastifyReply, string>(options);
  fastify.decorate('promkitMetrics', http);

  // Everything the instrumentation runs in Fastify's hooks and in the response's
  // listener is contained: a fault is counted, never thrown into the app.
  const begin = http.contain(function begin(request: FastifyRequest, reply: FastifyReply): void {
    const t = http.start(request.method, request.url, request, reply);
    if (t === undefined) return;
    // One read: `routeOptions` is a getter that builds a new object on every call.
    const route = t.lookup(routeOptionsOf, request);
    if (route?.config.disableMetrics === true) {
      t.ignore();
      return;
    }
    const template = route?.url;
    if (template !== undefined) t.matched(template);
    track(reply.raw, t);
    onResponseClose(reply.raw, onClose);
  });
  /**
   * Ends the request: `close` follows `finish` (the last byte handed to the socket) or a
   * client abort. Used instead of `onResponse` + `onRequestAbort`: that hook misses a
   * client leaving after its request body was read (and `onResponse` then never fires),
   * and one listener costs less than Fastify's per-request listeners for both hooks.
   */
  const onClose = http.contain(function onClose(this: ServerResponse): void {
    trackerOf(this)?.close(this.writableFinished, this.statusCode);
  });
  const countError = http.contain((reply: FastifyReply, error: FastifyError) => {
    trackerOf(reply.raw)?.exception(error);
  });
  function onRequest(
    request: FastifyRequest,
    reply: FastifyReply,
    done: HookHandlerDoneFunction,
  ): void {
    begin(request, reply);
    done();
  }
  function onError(
    _request: FastifyRequest,
    reply: FastifyReply,
    error: FastifyError,
    done: HookHandlerDoneFunction,
  ): void {
    countError(reply, error);
    done();
  }
  fastify.addHook('onRequest', onRequest);
  fastify.addHook('onError', onError);

  const path = options.metricsPath ?? '/metrics';
  if (path !== false) {
    fastify.get(
      path,
      { config: { disableMetrics: true } },
      metricsHandler({
        ...(options.registry === undefined ? {} : { registry: options.registry }),
        ...(options.auth === undefined ? {} : { auth: options.auth }),
      }),
    );
  }
}

function routeOptionsOf(request: FastifyRequest): FastifyRequest['routeOptions'] {
  return request.routeOptions;
}

/**
 * Measures every request of the instance it is registered on (and its children) and
 * serves `/metrics`.
 *
 * @example
 * const app = Fastify();
 * await app.register(fastifyMetrics, { groupStatusCodes: true });
 * app.get('/users/:id', getUser);
 */
export const fastifyMetrics = fp(promkitMetrics, { fastify: '5.x', name: '@promkit/fastify' });
