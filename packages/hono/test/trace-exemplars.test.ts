import { createServer } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { Registry } from '@promkit/core';
import { describeTraceExemplars, served } from '@promkit/testkit';
import { Hono } from 'hono';
import { metricsHandler, metricsMiddleware } from '../src/index';

describeTraceExemplars('@promkit/hono', async (wrap) => {
  const registry = new Registry();
  const app = new Hono();
  app.use(metricsMiddleware({ registry }));
  app.get('/users/:id', (c) => c.text(`user ${c.req.param('id')}`));
  app.get('/metrics', metricsHandler({ registry }));
  const { baseUrl, close } = await served(
    createServer(wrap(getRequestListener(app.fetch))).listen(0, '127.0.0.1'),
  );
  return {
    baseUrl,
    close,
  };
});
