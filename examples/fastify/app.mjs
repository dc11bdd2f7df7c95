// A small Fastify app instrumented with @promkit/fastify. Imported by index.mjs and by
// the root demo (examples/demo).
import { fastifyMetrics } from '@promkit/fastify';
import Fastify from 'fastify';

const users = new Map([
  ['1', { id: '1', name: 'Ada' }],
  ['2', { id: '2', name: 'Grace' }],
]);

/** Builds the app; `metrics` are passed to the plugin (registry, groupStatusCodes, …). */
export async function createApp(metrics = {}) {
  const app = Fastify();
  // First, so every route and the 404 handler are measured; it also serves /metrics.
  await app.register(fastifyMetrics, metrics);

  app.get('/', async () => ({
    routes: ['/users/:id', '/api/v1/items/:id', '/boom', '/slow', '/metrics'],
  }));
  app.get('/users/:id', async (request, reply) => {
    const user = users.get(request.params.id);
    return user ?? reply.code(404).send({ error: 'no such user' });
  });
  // A nested router: the path label is the full template, /api/v1/items/:id.
  await app.register(
    async (api) => {
      await api.register(
        async (v1) => {
          v1.get('/items/:id', async (request) => ({ id: request.params.id, price: 9.99 }));
        },
        { prefix: '/v1' },
      );
    },
    { prefix: '/api' },
  );
  app.get('/boom', async () => {
    throw new Error('boom: this route always fails');
  });
  app.get('/slow', async () => {
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 250));
    return { slow: true };
  });
  return app;
}
