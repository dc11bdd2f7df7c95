import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { Registry } from '@promkit/core';
import { describeTraceExemplars } from '@promkit/testkit';
import Koa from 'koa';
import { metricsHandler, metricsMiddleware } from '../src/index';

describeTraceExemplars('@promkit/koa', async (wrap) => {
  const registry = new Registry();
  const app = new Koa();
  app.use(metricsMiddleware({ registry }));
  const router = new Router();
  router.get('/users/:id', (ctx) => {
    ctx.body = `user ${ctx.params.id}`;
  });
  router.get('/metrics', metricsHandler({ registry }));
  app.use(router.routes());
  const server = createServer(wrap(app.callback())).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
});
