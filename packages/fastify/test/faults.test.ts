import { once } from 'node:events';
import { Registry } from '@promkit/core';
import { describeHttpFaults, type FaultAppOptions } from '@promkit/testkit';
import Fastify from 'fastify';
import FastifyCopy from 'fastify-copy';
import { type FastifyMetricsOptions, fastifyMetrics } from '../src/index';

async function faultApp({ metrics, secondCopy }: FaultAppOptions) {
  const registry = new Registry({ collectTimeoutMs: 300, onCollectError: () => {} });
  const make = (secondCopy === true ? FastifyCopy : Fastify) as unknown as typeof Fastify;
  const app = make();
  // Hooks added before the plugin run before its own.
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/late') {
      reply.raw.writeHead(203, { 'content-type': 'text/plain' }).end('early');
      await once(reply.raw, 'close');
    }
    if (request.url === '/lookup-throws') {
      // What the route-template lookup reads, made to throw.
      Object.defineProperty(request, 'routeOptions', {
        get() {
          throw new Error('route lookup bug');
        },
      });
    }
  });
  await app.register(fastifyMetrics, {
    ...(metrics as FastifyMetricsOptions<string>),
    registry,
  });
  app.get<{ Params: { id: string } }>('/ok/:id', async (request, reply) => {
    reply.header('x-app', 'yes');
    return `ok ${request.params.id}`;
  });
  app.get('/lookup-throws', async () => 'lookup');
  app.get('/close-twice', async (_request, reply) => {
    reply.raw.once('close', () => {
      reply.raw.emit('close');
      reply.raw.emit('close');
    });
    return 'twice';
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    baseUrl,
    registry,
    // Fastify runs no further onRequest hook once a reply is sent.
    recordsLateResponses: false,
    async close() {
      await app.close();
    },
  };
}

describeHttpFaults('@promkit/fastify', faultApp);
