import { createServer } from 'node:http';
import Router from '@koa/router';
import { Registry } from '@promkit/core';
import { describeTraceExemplars, served } from '@promkit/testkit';
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
  const { baseUrl, close } = await served(
    createServer(wrap(app.callback())).listen(0, '127.0.0.1'),
  );
  return {
    baseUrl,
    close,
  };
});
