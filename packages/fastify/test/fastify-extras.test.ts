import { connect } from 'node:net';
import { Registry } from '@promkit/core';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type FastifyMetricsOptions, fastifyMetrics, metricsHandler } from '../src/index';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function start(app: FastifyInstance): Promise<string> {
  apps.push(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

async function value(registry: Registry, name: string, labels: Record<string, string>) {
  const family = (await registry.collect()).find((f) => f.name === name);
  const point = family?.points.find((p) =>
    Object.entries(labels).every(([k, v]) => p.labels[k] === v),
  );
  return (point as { value?: unknown } | undefined)?.value as number | undefined;
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

describe('@promkit/fastify', () => {
  it('ignores a second registration on the same instance: no error, no double counting', async () => {
    const registry = new Registry();
    const warnings: string[] = [];
    const app = Fastify();
    app.log.warn = ((message: string) => warnings.push(message)) as never;
    await app.register(fastifyMetrics, { registry });
    await app.register(fastifyMetrics, { registry });
    app.get('/users/:id', async () => 'ok');
    const base = await start(app);
    await fetch(`${base}/users/1`);
    await eventually(async () => {
      expect(await value(registry, 'http_requests_total', { path: '/users/:id' })).toBe(1);
    });
    await fetch(`${base}/users/2`);
    await eventually(async () => {
      expect(await value(registry, 'http_requests_total', { path: '/users/:id' })).toBe(2);
    });
    expect(warnings).toHaveLength(1);
    expect(app.promkitMetrics.requests).toBe(registry.get('http_requests_total'));
  });

  it('leaves out routes with config.disableMetrics', async () => {
    const registry = new Registry();
    const app = Fastify();
    await app.register(fastifyMetrics, { registry });
    app.get('/health', { config: { disableMetrics: true } }, async () => 'ok');
    // @ts-expect-error disableMetrics is typed as a boolean through `declare module 'fastify'`
    app.get('/typed', { config: { disableMetrics: 'yes' } }, async () => 'ok');
    app.get('/users/:id', async () => 'ok');
    const base = await start(app);
    await fetch(`${base}/health`);
    await fetch(`${base}/users/1`);
    await eventually(async () => {
      expect(await value(registry, 'http_requests_total', { path: '/users/:id' })).toBe(1);
    });
    expect(await value(registry, 'http_requests_total', { path: '/health' })).toBeUndefined();
    expect(await value(registry, 'http_requests_in_flight', {})).toBe(0);
  });

  it('writes OpenMetrics _created samples on its route only with openMetricsCreated', async () => {
    const om = { headers: { accept: 'application/openmetrics-text;version=1.0.0' } };
    const plain = Fastify();
    await plain.register(fastifyMetrics, { registry: new Registry() });
    plain.get('/users/:id', async () => 'user');
    const a = await start(plain);
    await (await fetch(`${a}/users/1`)).text();
    const page = await (await fetch(`${a}/metrics`, om)).text();
    expect(page).toContain('http_requests_total{method="GET",path="/users/:id"} 1\n');
    expect(page).not.toContain('_created');

    const created = Fastify();
    await created.register(fastifyMetrics, { registry: new Registry(), openMetricsCreated: true });
    created.get('/users/:id', async () => 'user');
    const b = await start(created);
    await (await fetch(`${b}/users/1`)).text();
    expect(await (await fetch(`${b}/metrics`, om)).text()).toMatch(
      /\nhttp_requests_created\{method="GET",path="\/users\/:id"\} \d/,
    );
  });

  it('serves the registry at metricsPath, or nowhere with false', async () => {
    const registry = new Registry();
    const moved = Fastify();
    await moved.register(fastifyMetrics, {
      registry,
      metricsPath: '/internal/prom',
      auth: { bearer: 't' },
    });
    const base = await start(moved);
    expect((await fetch(`${base}/internal/prom`)).status).toBe(401);
    const ok = await fetch(`${base}/internal/prom`, { headers: { authorization: 'Bearer t' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE http_requests_total counter');
    expect(
      await value(registry, 'http_requests_total', { path: '/internal/prom' }),
    ).toBeUndefined();

    const none = Fastify();
    await none.register(fastifyMetrics, { registry: new Registry(), metricsPath: false });
    none.get('/custom', metricsHandler({ registry }));
    const other = await start(none);
    expect((await fetch(`${other}/metrics`)).status).toBe(404);
    expect((await fetch(`${other}/custom`)).status).toBe(200);
    expect(none.promkitMetrics.requests!.getAll()).toEqual([]);
  });

  it('passes realm, compression and onScrapeError to its metrics route', async () => {
    const registry = new Registry();
    const app = Fastify();
    await app.register(fastifyMetrics, {
      registry,
      auth: { bearer: 't' },
      realm: 'ops',
      compression: false,
    });
    const base = await start(app);
    const refused = await fetch(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('realm="ops"');
    const page = await fetch(`${base}/metrics`, {
      headers: { authorization: 'Bearer t', 'accept-encoding': 'gzip' },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-encoding')).toBeNull();

    class BrokenRegistry extends Registry {
      override async collect(): Promise<never> {
        throw new Error('store gone');
      }
    }
    const failures: unknown[] = [];
    const broken = Fastify();
    await broken.register(fastifyMetrics, {
      registry: new BrokenRegistry(),
      onScrapeError: (error) => failures.push(error),
    });
    const failed = await fetch(`${await start(broken)}/metrics`);
    expect(failed.status).toBe(500);
    expect(failures).toHaveLength(1);
    expect((failures[0] as Error).message).toBe('store gone');
  });

  it('records a client that leaves after its POST body was read as 499', async () => {
    const registry = new Registry();
    const app = Fastify();
    await app.register(fastifyMetrics, { registry });
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => {
      entered = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.post('/orders', async (request) => {
      entered();
      await released;
      return request.body;
    });
    const base = await start(app);
    const { port } = new URL(base);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      'POST /orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    );
    await handlerEntered;
    socket.destroy();
    const aborted = { method: 'POST', path: '/orders', status_code: '499' };
    await eventually(async () => {
      expect(await value(registry, 'http_requests_by_status_total', aborted)).toBe(1);
    });
    expect(await value(registry, 'http_requests_in_flight', {})).toBe(0);
    release();
  });

  it('adds the labels hook’s values, read from (request, reply)', async () => {
    const registry = new Registry();
    const app = Fastify();
    await app.register(fastifyMetrics, {
      registry,
      extraLabelNames: ['tenant'],
      labels: (request) => ({ tenant: String(request.headers['x-tenant'] ?? 'none') }),
    });
    app.get('/users/:id', async () => 'ok');
    const base = await start(app);
    await fetch(`${base}/users/1`, { headers: { 'x-tenant': 'acme' } });
    await eventually(async () => {
      expect(
        await value(registry, 'http_requests_total', { path: '/users/:id', tenant: 'acme' }),
      ).toBe(1);
    });
  });

  it('types the labels hook by the extra label names, like the other adapters', async () => {
    const registry = new Registry();
    const app = Fastify();
    await app.register(fastifyMetrics<'tenant' | 'cache'>, {
      registry,
      extraLabelNames: ['tenant', 'cache'],
      labels: (request, reply) => {
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>();
        expectTypeOf(reply).toEqualTypeOf<FastifyReply>();
        return { tenant: 'acme', cache: reply.statusCode === 304 ? 'hit' : 'miss' };
      },
    });
    expectTypeOf<Parameters<typeof fastifyMetrics<'tenant'>>[1]>().toEqualTypeOf<
      FastifyMetricsOptions<'tenant'>
    >();
    expectTypeOf<
      ReturnType<NonNullable<FastifyMetricsOptions<'tenant'>['labels']>>
    >().toEqualTypeOf<{ readonly tenant: string | number }>();
    const other = Fastify();
    apps.push(other);
    await other.register(fastifyMetrics<'tenant' | 'cache'>, {
      registry: new Registry(),
      extraLabelNames: ['tenant', 'cache'],
      // @ts-expect-error the hook must return every extra label
      labels: () => ({ tenant: 'acme' }),
    });
    // @ts-expect-error only declared label names
    const declared: FastifyMetricsOptions<'tenant'> = { extraLabelNames: ['tenant', 'region'] };
    void declared;
    app.get('/users/:id', async () => 'ok');
    const base = await start(app);
    await fetch(`${base}/users/1`);
    await eventually(async () => {
      expect(
        await value(registry, 'http_requests_total', {
          path: '/users/:id',
          tenant: 'acme',
          cache: 'miss',
        }),
      ).toBe(1);
    });
  });
});
