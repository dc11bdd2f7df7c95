import { once } from 'node:events';
import type { Server, ServerResponse } from 'node:http';
import { serve } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Registry } from '@promkit/core';
import { describeHttpFaults, type FaultAppOptions, served } from '@promkit/testkit';
import { Hono } from 'hono';
import { Hono as HonoCopy } from 'hono-copy';
import { type HonoMetricsOptions, metricsHandler, metricsMiddleware } from '../src/index';

type Env = { Bindings: { outgoing: ServerResponse } };

async function faultApp({ metrics, secondCopy }: FaultAppOptions) {
  const registry = new Registry({ collectTimeoutMs: 300, onCollectError: () => {} });
  // The copy's class is structurally the same; the adapter resolves `hono` itself.
  const app = new ((secondCopy === true ? HonoCopy : Hono) as typeof Hono)<Env>();
  app.use('/late', async (c, next) => {
    const out = c.env.outgoing;
    out.writeHead(203, { 'content-type': 'text/plain' }).end('early');
    await once(out, 'close');
    await next();
    c.res = undefined;
    c.res = RESPONSE_ALREADY_SENT;
  });
  app.use(metricsMiddleware({ ...(metrics as HonoMetricsOptions<string>), registry }));
  app.get('/ok/:id', (c) => c.text(`ok ${c.req.param('id')}`, 200, { 'x-app': 'yes' }));
  app.use('/lookup-throws', async (c, next) => {
    await next();
    // What the route lookup reads, made to throw once the response is out.
    Object.defineProperty(c.req, 'routeIndex', {
      get() {
        throw new Error('route lookup bug');
      },
    });
  });
  app.get('/lookup-throws', (c) => c.text('lookup'));
  app.get('/close-twice', (c) => {
    const out = c.env.outgoing;
    out.once('close', () => {
      out.emit('close');
      out.emit('close');
    });
    return c.text('twice');
  });
  app.get('/metrics', metricsHandler({ registry }));
  const { baseUrl, close } = await served(
    serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server,
  );
  return {
    baseUrl,
    registry,
    close,
  };
}

describeHttpFaults('@promkit/hono', faultApp);
