import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import { Registry } from '@promkit/core';
import Koa from 'koa';
import { afterEach, describe, expect, it } from 'vitest';
import { metricsHandler, metricsMiddleware } from '../src/index';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function start(app: Koa): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function points(registry: Registry, name: string) {
  const family = (await registry.collect()).find((f) => f.name === name);
  return (family?.points ?? []).map((p) => ({
    ...p.labels,
    value: (p as { value?: unknown }).value,
  }));
}

async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe('@promkit/koa', () => {
  it('labels routes under a parameterised router prefix with the template', async () => {
    const registry = new Registry();
    const app = new Koa();
    app.use(metricsMiddleware({ registry }));
    const tenants = new Router({ prefix: '/tenants/:tid' });
    tenants.get('/items/:id', (ctx) => {
      ctx.body = 'item';
    });
    app.use(tenants.routes());
    const base = await start(app);
    await fetch(`${base}/tenants/acme/items/1`);
    await fetch(`${base}/tenants/globex/items/2`);
    await eventually(async () => {
      expect(await points(registry, 'http_requests_total')).toEqual([
        { method: 'GET', path: '/tenants/:tid/items/:id', value: 2 },
      ]);
    });
  });

  it('counts ctx.throw() as an exception with the status Koa answered', async () => {
    const registry = new Registry();
    const app = new Koa();
    app.silent = true;
    app.use(metricsMiddleware({ registry }));
    const router = new Router();
    router.get('/orders/:id', (ctx) => ctx.throw(404, 'no such order'));
    app.use(router.routes());
    const base = await start(app);
    expect((await fetch(`${base}/orders/9`)).status).toBe(404);
    await eventually(async () => {
      expect(await points(registry, 'http_requests_by_status_total')).toEqual([
        { method: 'GET', path: '/orders/:id', status_code: '404', value: 1 },
      ]);
    });
    expect(await points(registry, 'http_exceptions_total')).toEqual([
      { method: 'GET', path: '/orders/:id', value: 1 },
    ]);
  });

  it('adds the labels hook’s values, read from (ctx, ctx.response)', async () => {
    const registry = new Registry();
    const app = new Koa();
    app.use(
      metricsMiddleware({
        registry,
        extraLabelNames: ['tenant', 'type'],
        labels: (ctx, response) => ({ tenant: ctx.get('x-tenant') || 'none', type: response.type }),
      }),
    );
    const router = new Router();
    router.get('/users/:id', (ctx) => {
      ctx.body = { id: ctx.params.id };
    });
    app.use(router.routes());
    const base = await start(app);
    await fetch(`${base}/users/1`, { headers: { 'x-tenant': 'acme' } });
    await eventually(async () => {
      expect(await points(registry, 'http_requests_total')).toEqual([
        { method: 'GET', path: '/users/:id', tenant: 'acme', type: 'application/json', value: 1 },
      ]);
    });
  });

  it('protects the metrics handler with auth', async () => {
    const registry = new Registry();
    const app = new Koa();
    const router = new Router();
    router.get('/metrics', metricsHandler({ registry, auth: { username: 'u', password: 'p' } }));
    app.use(router.routes());
    const base = await start(app);
    const refused = await fetch(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Basic realm="metrics"/);
    const ok = await fetch(`${base}/metrics`, {
      headers: { authorization: `Basic ${btoa('u:p')}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  });
});
