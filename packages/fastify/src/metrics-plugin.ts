import type { HttpMetricsOptions, MetricsAuth } from '@promkit/core';
import { createHttpMetrics, type HttpMetrics } from '@promkit/core/http';
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import fp from 'fastify-plugin';
import { metricsHandler, responses, trackerOf } from './metrics-handler';
import { routeConfigReader } from './route-config';

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
  /** `_created` samples in OpenMetrics scrapes of the metrics route. Default false. */
  readonly openMetricsCreated?: boolean;
  /** Realm named in the metrics route's 401 challenge. Default `metrics`. */
  readonly realm?: string;
  /** Gzip the metrics route's page when the scraper accepts it. Default true. */
  readonly compression?: boolean;
  /**
   * Told about every failed scrape of the metrics route (503 for an unavailable store,
   * 500 otherwise); `metricsHandler()`'s `onError`. Default: one `console.warn` per failure.
   * (`onError` is the instrumentation's own fault report.)
   */
  readonly onScrapeError?: (error: unknown) => void;
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
  const routeConfigOf = routeConfigReader();
  fastify.decorate('promkitMetrics', http);

  // Everything the instrumentation runs in Fastify's hooks and in the response's
  // listener is contained: a fault is counted, never thrown into the app.
  const begin = http.contain(function begin(request: FastifyRequest, reply: FastifyReply): void {
    const t = http.start(request.method, request.url, request, reply);
    if (t === undefined) return;
    const route = t.lookup(routeConfigOf, request);
    if (route?.disableMetrics === true) {
      t.ignore();
      return;
    }
    const template = route?.url;
    if (template !== undefined) t.matched(template);
    // The response's own end (Node's finish channel, or its `close`) rather than
    // `onResponse` + `onRequestAbort`: that hook misses a client leaving after its request
    // body was read (and `onResponse` then never fires), and those hooks make Fastify add
    // listeners of its own to every request.
    responses.track(reply.raw, t);
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
        ...(options.openMetricsCreated === true ? { openMetricsCreated: true } : {}),
        ...(options.realm === undefined ? {} : { realm: options.realm }),
        ...(options.compression === undefined ? {} : { compression: options.compression }),
        ...(options.onScrapeError === undefined ? {} : { onError: options.onScrapeError }),
      }),
    );
  }
}

/**
 * The plugin. `app.register` cannot infer a generic plugin's type parameter from the options,
 * so the label names are typed like the other adapters' (`extraLabelNames` → the `labels`
 * hook's return) when given: `app.register(fastifyMetrics<'tenant'>, options)`, or options
 * declared as `FastifyMetricsOptions<'tenant'>`. Registered plainly, any label set is accepted.
 */
export type FastifyMetricsPlugin = FastifyPluginAsync<FastifyMetricsOptions<string>> &
  (<L extends string = never>(
    instance: FastifyInstance,
    options: FastifyMetricsOptions<L>,
  ) => Promise<void>);

/**
 * Measures every request of the instance it is registered on (and its children) and
 * serves `/metrics`.
 *
 * @example
 * const app = Fastify();
 * await app.register(fastifyMetrics<'tenant'>, {
 *   extraLabelNames: ['tenant'],
 *   labels: (request) => ({ tenant: String(request.headers['x-tenant'] ?? 'none') }),
 * });
 * app.get('/users/:id', getUser);
 */
export const fastifyMetrics: FastifyMetricsPlugin = fp(promkitMetrics, {
  fastify: '5.x',
  name: '@promkit/fastify',
});
