import { once } from 'node:events';
import Router from '@koa/router';
import { Registry } from '@promkit/core';
import { describeHttpFaults, type FaultAppOptions, served } from '@promkit/testkit';
import Koa from 'koa';
import KoaCopy from 'koa-copy';
import { type KoaMetricsOptions, metricsHandler, metricsMiddleware } from '../src/index';

async function faultApp({ metrics, secondCopy }: FaultAppOptions) {
  const registry = new Registry({ collectTimeoutMs: 300, onCollectError: () => {} });
  const app = new ((secondCopy === true ? KoaCopy : Koa) as typeof Koa)();
  app.silent = true;
  app.use(async (ctx, next) => {
    if (ctx.path === '/late') {
      ctx.respond = false;
      ctx.res.writeHead(203, { 'content-type': 'text/plain' }).end('early');
      await once(ctx.res, 'close');
    }
    await next();
  });
  app.use(async (ctx, next) => {
    if (ctx.path === '/lookup-throws') {
      // What the route-template lookup reads, made to throw once the response is out.
      let matched: unknown;
      Object.defineProperty(ctx, '_matchedRoute', {
        get() {
          if (ctx.res.writableEnded) throw new Error('route lookup bug');
          return matched;
        },
        set(value) {
          matched = value;
        },
      });
    }
    await next();
  });
  app.use(metricsMiddleware({ ...(metrics as KoaMetricsOptions<string>), registry }));
  const router = new Router();
  router.get('/ok/:id', (ctx) => {
    ctx.set('x-app', 'yes');
    ctx.body = `ok ${ctx.params.id}`;
  });
  router.get('/lookup-throws', (ctx) => {
    ctx.body = 'lookup';
  });
  router.get('/close-twice', (ctx) => {
    ctx.res.once('close', () => {
      ctx.res.emit('close');
      ctx.res.emit('close');
    });
    ctx.body = 'twice';
  });
  router.get('/metrics', metricsHandler({ registry }));
  app.use(router.routes());
  const { baseUrl, close } = await served(app.listen(0, '127.0.0.1'));
  return {
    baseUrl,
    registry,
    close,
  };
}

describeHttpFaults('@promkit/koa', faultApp);
