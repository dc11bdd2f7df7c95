/**
 * What an OpenTelemetry-traced Node server does per request, for the `traced` variants:
 * a real SDK (sdk-trace-base's `BasicTracerProvider`, always sampling, no span processor:
 * spans are made, ended and dropped) with the AsyncLocalStorage context manager, and every
 * request handled inside its own sampled span, as @opentelemetry/instrumentation-http does
 * around the server's `request` event. `traced` and `traced-promkit` pay this alike, so
 * their difference is what promkit adds in a traced process, exemplars included.
 */
import http from 'node:http';
import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AlwaysOnSampler, BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler: new AlwaysOnSampler() }));
const tracer = trace.getTracer('promkit-bench');

/** Fastify's `serverFactory`: a Node server that runs each request inside a new span. */
export function tracedServerFactory(handler) {
  return http.createServer((req, res) => {
    const span = tracer.startSpan('GET');
    res.once('close', () => span.end());
    context.with(trace.setSpan(ROOT_CONTEXT, span), handler, undefined, req, res);
  });
}
