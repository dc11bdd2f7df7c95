import { Readable } from 'node:stream';
import { Registry } from '@promkit/core';
import { describeHttpConformance } from '@promkit/testkit';
import Fastify from 'fastify';
import { fastifyMetrics } from '../src/index';

describeHttpConformance<Registry>('@promkit/fastify', async ({ registry, metrics, fixtures }) => {
  const reg = registry ?? new Registry();
  const app = Fastify();
  await app.register(fastifyMetrics, { ...metrics, registry: reg });
  app.get<{ Params: { id: string } }>('/users/:id', async (request) => `user ${request.params.id}`);
  await app.register(
    async (api) => {
      await api.register(
        async (v1) => {
          v1.get<{ Params: { id: string } }>(
            '/items/:id',
            async (request) => `item ${request.params.id}`,
          );
        },
        { prefix: '/v1' },
      );
    },
    { prefix: '/api' },
  );
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  app.get('/stream', async (_request, reply) => {
    reply.type('text/plain');
    return reply.send(Readable.from(fixtures.streamBody()));
  });
  app.get('/slow', async () => {
    await fixtures.slow();
    return 'slow';
  });
  app.setErrorHandler(async (error, _request, reply) => {
    fixtures.onFrameworkError(error);
    return reply.code(500).send('handled');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    registry: reg,
    async close() {
      app.server.closeAllConnections();
      await app.close();
    },
  };
});
