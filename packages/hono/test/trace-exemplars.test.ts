import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Registry } from '@promkit/core';
import { describeTraceExemplars } from '@promkit/testkit';
import { Hono } from 'hono';
import { metricsHandler, metricsMiddleware } from '../src/index';

describeTraceExemplars('@promkit/hono', async (wrap) => {
  const registry = new Registry();
  const app = new Hono();
  app.use(metricsMiddleware({ registry }));
  app.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`));
  app.get('/metrics', metricsHandler({ registry }));
  const server = createServer(wrap(getRequestListener(app.fetch))).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
});
