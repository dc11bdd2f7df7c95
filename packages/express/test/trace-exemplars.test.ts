import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from '@promkit/core';
import { describeTraceExemplars } from '@promkit/testkit';
import express from 'express';
import { metricsHandler, metricsMiddleware } from '../src/index';

describeTraceExemplars('@promkit/express', async (wrap) => {
  const registry = new Registry();
  const app = express();
  app.use(metricsMiddleware({ registry }));
  app.get('/users/:id', (req, res) => {
    res.send(`user ${req.params.id}`);
  });
  app.get('/metrics', metricsHandler({ registry }));
  const server = createServer(wrap(app)).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
});
