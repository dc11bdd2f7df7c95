import type { IncomingMessage, ServerResponse } from 'node:http';
import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import { AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** A Node `request` listener. */
export type RequestListener = (req: IncomingMessage, res: ServerResponse) => unknown;

export interface Tracing {
  readonly tracer: Tracer;
  /**
   * Wraps a request listener so that every request runs inside a new active span (sampled:
   * the sampler samples everything), as OpenTelemetry's HTTP instrumentation would. The
   * span's ids are sent back in `x-trace-id` and `x-span-id`; the span ends when the
   * response closes.
   */
  traced<L extends RequestListener>(listener: L): L;
  /** Unregisters the global provider, context manager and propagator. */
  shutdown(): Promise<void>;
}

/**
 * Registers a real OpenTelemetry SDK for this process: a `NodeTracerProvider` with an
 * always-on sampler, its AsyncLocalStorage context manager and the W3C propagator.
 *
 * @example
 * const tracing = startTracing();
 * const server = createServer(tracing.traced(app.callback()));
 */
export function startTracing(): Tracing {
  const provider = new NodeTracerProvider({ sampler: new AlwaysOnSampler() });
  provider.register();
  const tracer = provider.getTracer('promkit-testkit');
  return {
    tracer,
    traced<L extends RequestListener>(listener: L): L {
      const wrapped: RequestListener = (req, res) =>
        tracer.startActiveSpan(`${req.method ?? 'GET'} ${req.url ?? '/'}`, (span) => {
          const { traceId, spanId } = span.spanContext();
          res.setHeader('x-trace-id', traceId);
          res.setHeader('x-span-id', spanId);
          res.once('close', () => span.end());
          return listener(req, res);
        });
      return wrapped as L;
    },
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
