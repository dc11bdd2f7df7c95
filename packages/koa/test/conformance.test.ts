import { Readable } from 'node:stream';
import Router from '@koa/router';
import { Registry } from '@promkit/core';
import { describeHttpConformance, served } from '@promkit/testkit';
import Koa from 'koa';
import { metricsHandler, metricsMiddleware } from '../src/index';

describeHttpConformance<Registry>('@promkit/koa', async ({ registry, metrics, fixtures }) => {
  const reg = registry ?? new Registry();
  const app = new Koa();
  app.silent = true;
  app.on('error', (error: unknown) => fixtures.onFrameworkError(error));
  app.use(metricsMiddleware({ ...metrics, registry: reg }));
  const router = new Router();
  router.get('/users/:id', (ctx) => {
    ctx.body = `user ${ctx.params.id}`;
  });
  router.get('/boom', () => {
    throw new Error('boom');
  });
  router.get('/stream', (ctx) => {
    ctx.type = 'text/plain';
    ctx.body = Readable.from(fixtures.streamBody());
  });
  router.get('/slow', async (ctx) => {
    await fixtures.slow();
    ctx.body = 'slow';
  });
  router.get('/metrics', metricsHandler({ registry: reg }));
  const api = new Router({ prefix: '/api' });
  const v1 = new Router();
  v1.get('/items/:id', (ctx) => {
    ctx.body = `item ${ctx.params.id}`;
  });
  api.use('/v1', v1.routes());
  app.use(router.routes());
  app.use(api.routes());
  const { baseUrl, close } = await served(app.listen(0, '127.0.0.1'));
  return {
    baseUrl,
    registry: reg,
    close,
  };
});
