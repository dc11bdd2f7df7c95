import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from '@promkit/core';
import { describeTraceExemplars } from '@promkit/testkit';
import Fastify from 'fastify';
import { fastifyMetrics } from '../src/index';

describeTraceExemplars('@promkit/fastify', async (wrap) => {
  const registry = new Registry();
  const app = Fastify({ serverFactory: (handler) => createServer(wrap(handler)) });
  await app.register(fastifyMetrics, { registry });
  app.get<{ Params: { id: string } }>('/users/:id', async (request) => `user ${request.params.id}`);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    close: () => app.close(),
  };
});
