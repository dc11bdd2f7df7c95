import { Registry } from '@promkit/core';
import type { RequestTracker } from '@promkit/core/http';
import { type Context, Hono } from 'hono';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { metricsHandler, metricsMiddleware } from '../src/index';

async function value(registry: Registry, name: string, labels: Record<string, string>) {
  const family = (await registry.collect()).find((f) => f.name === name);
  const point = family?.points.find((p) =>
    Object.entries(labels).every(([k, v]) => p.labels[k] === v),
  );
  const v = (point as { value?: unknown } | undefined)?.value;
  return typeof v === 'number' ? v : (v as { count: number } | undefined)?.count;
}

/** `app.request()`, body read: without a Node response a request is recorded at its body's last byte. */
async function call(app: Hono<any>, path: string, init?: RequestInit): Promise<Response> {
  const response = await app.request(path, init);
  await response.arrayBuffer();
  return response;
}

describe('@promkit/hono with app.request() (no server, no Node response)', () => {
  it('records HEAD, 204 and 304 when answered (no body is ever read), in-flight back at 0', async () => {
    const registry = new Registry();
    const app = new Hono();
    const mw = metricsMiddleware({ registry });
    const { statusCodes, duration, inFlight } = mw.http;
    app.use(mw);
    app.get('/users/:id', (c) => c.text('user'));
    app.get('/empty', (c) => c.body(null, 204));
    app.get('/cached', (c) => c.body(null, 304));
    // Hono answers HEAD with `new Response(null, res)`: the GET body is dropped unread.
    expect((await app.request('/users/1', { method: 'HEAD' })).status).toBe(200);
    expect((await app.request('/empty')).status).toBe(204);
    expect((await app.request('/cached')).status).toBe(304);
    for (const [method, path, code] of [
      ['HEAD', '/users/:id', '200'],
      ['GET', '/empty', '204'],
      ['GET', '/cached', '304'],
    ] as const) {
      const labels = { method, path, status_code: code };
      expect(await value(registry, statusCodes!.name, labels)).toBe(1);
      expect(await value(registry, duration!.name, labels)).toBe(1);
    }
    expect(await value(registry, inFlight!.name, {})).toBe(0);
  });

  it('records routes, nested routes, 404s and exceptions', async () => {
    const registry = new Registry();
    const errors: unknown[] = [];
    const app = new Hono();
    app.use(metricsMiddleware({ registry }));
    app.get('/users/:id', (c) => c.text('user'));
    const v1 = new Hono().get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
    app.route('/api/v1', v1);
    app.get('/boom', () => {
      throw new Error('boom');
    });
    app.onError((error, c) => {
      errors.push(error);
      return c.text('handled', 500);
    });
    expect((await call(app, '/users/1')).status).toBe(200);
    expect(JSON.parse(await (await app.request('/api/v1/items/7?x=1')).text())).toEqual({
      id: '7',
    });
    expect((await call(app, '/nope/1')).status).toBe(404);
    expect((await call(app, '/boom')).status).toBe(500);
    expect(await value(registry, 'http_requests_total', { path: '/users/:id' })).toBe(1);
    expect(await value(registry, 'http_requests_total', { path: '/api/v1/items/:id' })).toBe(1);
    expect(
      await value(registry, 'http_requests_by_status_total', {
        path: '<unmatched>',
        status_code: '404',
      }),
    ).toBe(1);
    expect(await value(registry, 'http_exceptions_total', { path: '/boom' })).toBe(1);
    expect(
      await value(registry, 'http_requests_by_status_total', { path: '/boom', status_code: '500' }),
    ).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('records a streamed body when its last chunk is read, and a cancelled one as 499', async () => {
    const registry = new Registry();
    const app = new Hono();
    app.use(metricsMiddleware({ registry }));
    let finish!: () => void;
    const last = new Promise<void>((resolve) => {
      finish = resolve;
    });
    app.get('/stream', (c) => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent === 1) await last;
          if (sent === 2) return controller.close();
          controller.enqueue(new TextEncoder().encode(`part ${sent++}\n`));
        },
      });
      return c.body(body);
    });
    const route = { path: '/stream', status_code: '200' };
    const response = await app.request('/stream');
    const reader = response.body!.getReader();
    await reader.read();
    expect(await value(registry, 'http_request_duration_seconds', route)).toBeUndefined();
    finish();
    while (!(await reader.read()).done) {}
    expect(await value(registry, 'http_request_duration_seconds', route)).toBe(1);

    const cancelled = await app.request('/stream');
    await cancelled.body!.cancel();
    expect(
      await value(registry, 'http_requests_by_status_total', {
        path: '/stream',
        status_code: '499',
      }),
    ).toBe(1);
    expect(await value(registry, 'http_requests_in_flight', {})).toBe(0);
  });

  it('labels a request a middleware answered with the route it was meant for', async () => {
    const registry = new Registry();
    const app = new Hono();
    app.use(metricsMiddleware({ registry }));
    app.use('/admin/*', async (c, next) => {
      if (c.req.header('authorization') === undefined) return c.text('no', 401);
      await next();
    });
    app.get('/admin/users/:id', (c) => c.text('admin'));
    expect((await call(app, '/admin/users/3')).status).toBe(401);
    expect((await call(app, '/admin/nothing')).status).toBe(401);
    expect(
      await value(registry, 'http_requests_by_status_total', {
        path: '/admin/users/:id',
        status_code: '401',
      }),
    ).toBe(1);
    expect(
      await value(registry, 'http_requests_by_status_total', {
        path: '<unmatched>',
        status_code: '401',
      }),
    ).toBe(1);
  });

  it('adds the labels hook’s values, read from the context', async () => {
    const registry = new Registry();
    const app = new Hono<{ Variables: { tenant: string } }>();
    app.use(
      metricsMiddleware({
        registry,
        extraLabelNames: ['tenant', 'type'],
        labels: (c) => ({
          tenant: c.get('tenant') ?? 'none',
          type: c.res.headers.get('content-type') ?? '',
        }),
      }),
    );
    app.use(async (c, next) => {
      c.set('tenant', c.req.header('x-tenant') ?? 'none');
      await next();
    });
    app.get('/users/:id', (c) => c.json({}));
    await call(app, '/users/1', { headers: { 'x-tenant': 'acme' } });
    expect(
      await value(registry, 'http_requests_total', {
        path: '/users/:id',
        tenant: 'acme',
        type: 'application/json',
      }),
    ).toBe(1);
  });

  it('serves the metrics with negotiation and auth, uncounted', async () => {
    const registry = new Registry();
    const app = new Hono();
    app.use(metricsMiddleware({ registry, excludePaths: [] }));
    app.get('/prom', metricsHandler({ registry, auth: { bearer: 'tok' } }));
    expect((await app.request('/prom')).status).toBe(401);
    const om = await app.request('/prom', {
      headers: {
        authorization: 'Bearer tok',
        accept: 'application/openmetrics-text; version=1.0.0',
      },
    });
    expect(om.headers.get('content-type')).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(await om.text()).toMatch(/# EOF\n$/);
    expect(await value(registry, 'http_requests_total', { path: '/prom' })).toBeUndefined();
    expect(await value(registry, 'http_requests_in_flight', {})).toBe(0);
  });

  it('keeps the request’s tracker in a typed context variable', async () => {
    const registry = new Registry();
    const app = new Hono();
    const route = app.use(metricsMiddleware({ registry })).get('/tracked', (c) => {
      const t = c.get('promkitTracker');
      expectTypeOf(t).toEqualTypeOf<RequestTracker<Context, Context> | undefined>();
      return c.json({ method: t?.method, sameContext: t?.req === c });
    });
    expect(await (await route.request('/tracked')).json()).toEqual({
      method: 'GET',
      sameContext: true,
    });
  });
});
