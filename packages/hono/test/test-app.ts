import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Registry } from '@promkit/core';
import type { ConformanceApp, ConformanceAppOptions } from '@promkit/testkit';
import { served } from '@promkit/testkit';
import { Hono } from 'hono';
import { metricsHandler, metricsMiddleware } from '../src/index';

/** The conformance routes on a Hono app (no server). */
export function conformanceApp(
  { metrics, fixtures }: ConformanceAppOptions<Registry>,
  registry: Registry,
): Hono {
  const app = new Hono();
  app.use(metricsMiddleware({ ...metrics, registry }));
  app.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`));
  const v1 = new Hono();
  v1.get('/items/:id', (c) => c.text(`item ${c.req.param('id')}`));
  const api = new Hono();
  api.route('/v1', v1);
  app.route('/api', api);
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.get('/stream', (c) => {
    const encoder = new TextEncoder();
    const chunks = fixtures.streamBody();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { value, done } = await chunks.next();
        if (done) controller.close();
        else controller.enqueue(encoder.encode(value));
      },
    });
    return c.body(body, 200, { 'content-type': 'text/plain; charset=utf-8' });
  });
  app.get('/slow', async (c) => {
    await fixtures.slow();
    return c.text('slow');
  });
  app.get('/metrics', metricsHandler({ registry }));
  app.onError((error, c) => {
    fixtures.onFrameworkError(error);
    return c.text('handled', 500);
  });
  return app;
}

/**
 * Serves the app on @hono/node-server. `nodeEnv: false` hides the Node response from
 * the app (as on a runtime without one), so the Web-standard path is taken.
 */
export async function serveApp(
  options: ConformanceAppOptions<Registry>,
  nodeEnv: boolean,
): Promise<ConformanceApp<Registry>> {
  const registry = options.registry ?? new Registry();
  const app = conformanceApp(options, registry);
  const { baseUrl, close } = await served(
    serve({
      fetch: nodeEnv ? app.fetch : (request: Request) => app.fetch(request),
      port: 0,
      hostname: '127.0.0.1',
    }) as Server,
  );
  return {
    baseUrl,
    registry,
    close,
  };
}
