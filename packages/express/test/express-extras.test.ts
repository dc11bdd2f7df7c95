import { Registry } from '@promkit/core';
import express from 'express';
import express4 from 'express4';
import { describe, expect, it } from 'vitest';
import { metricsHandler, metricsMiddleware } from '../src/index';
import { listen } from './test-app';

async function paths(registry: Registry): Promise<Record<string, number>> {
  const family = (await registry.collect()).find((f) => f.name === 'http_requests_total');
  const out: Record<string, number> = {};
  for (const point of family?.points ?? []) {
    out[point.labels.path!] = (point as unknown as { value: number }).value;
  }
  return out;
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

/** Routers mounted with parameters, a sub-app, a router's own `/` and a RegExp route. */
function mountedApp(expressModule: typeof express, registry: Registry) {
  const app = expressModule();
  app.use(metricsMiddleware({ registry }));
  const items = expressModule.Router();
  items.get('/items/:id', (_req, res) => {
    res.send('item');
  });
  app.use('/tenants/:tid', items);
  const admin = expressModule();
  admin.get('/users/:id', (_req, res) => {
    res.send('admin user');
  });
  app.use('/admin', admin);
  const api = expressModule.Router();
  api.get('/', (_req, res) => {
    res.send('api root');
  });
  app.use('/api', api);
  app.get(/^\/files\/.*$/, (_req, res) => {
    res.send('file');
  });
  return app;
}

describe('@promkit/express route templates', () => {
  it('reads parameterised mounts, sub-apps and RegExp routes on Express 5', async () => {
    const registry = new Registry();
    const app = await listen(mountedApp(express, registry), registry);
    try {
      for (const path of [
        '/tenants/acme/items/1',
        '/tenants/globex/items/2',
        '/admin/users/7',
        '/api',
        '/api/',
        '/files/a/b.txt',
      ]) {
        expect((await fetch(`${app.baseUrl}${path}`)).status).toBe(200);
      }
      await eventually(async () => {
        expect(await paths(registry)).toEqual({
          '/tenants/:tid/items/:id': 2,
          '/admin/users/:id': 1,
          '/api': 2,
          '/^\\/files\\/.*$/': 1,
        });
      });
    } finally {
      await app.close();
    }
  });

  it('never labels with a tenant value on Express 4, which keeps no mount pattern', async () => {
    const registry = new Registry();
    const app = await listen(mountedApp(express4 as unknown as typeof express, registry), registry);
    try {
      for (const path of [
        '/tenants/acme/items/1',
        '/tenants/globex/items/2',
        '/admin/users/7',
        '/api',
      ]) {
        expect((await fetch(`${app.baseUrl}${path}`)).status).toBe(200);
      }
      await eventually(async () => {
        expect(await paths(registry)).toEqual({
          '*/items/:id': 2,
          '/admin/users/:id': 1,
          '/api': 1,
        });
      });
    } finally {
      await app.close();
    }
  });
});

describe('@promkit/express per-request state', () => {
  it('adds no property to req or res', async () => {
    // Express swaps the prototype of every req/res; a property added afterwards makes V8
    // build a new hidden class per request, which cost more CPU than the whole middleware.
    const keys = async (instrumented: boolean) => {
      const registry = new Registry();
      const app = express();
      if (instrumented) app.use(metricsMiddleware({ registry }));
      let seen: { req: string[]; res: string[] } | undefined;
      app.get('/users/:id', (req, res) => {
        res.send('ok');
        seen = {
          req: Reflect.ownKeys(req).map(String).sort(),
          res: Reflect.ownKeys(res).map(String).sort(),
        };
      });
      const server = await listen(app, registry);
      try {
        expect((await fetch(`${server.baseUrl}/users/1`)).status).toBe(200);
      } finally {
        await server.close();
      }
      return seen;
    };
    expect(await keys(true)).toEqual(await keys(false));
  });

  it('keeps one template per route across apps, routers and routes added late', async () => {
    const registry = new Registry();
    const build = (mount: string) => {
      const app = express();
      app.use(metricsMiddleware({ registry }));
      const router = express.Router();
      router.get('/items/:id', (_req, res) => {
        res.send('item');
      });
      app.use(mount, router);
      return app;
    };
    const first = await listen(build('/a'), registry);
    const secondApp = build('/b');
    const second = await listen(secondApp, registry);
    try {
      expect((await fetch(`${first.baseUrl}/a/items/1`)).status).toBe(200);
      expect((await fetch(`${second.baseUrl}/b/items/2`)).status).toBe(200);
      secondApp.get('/late/:id', (_req, res) => {
        res.send('late');
      });
      expect((await fetch(`${second.baseUrl}/late/3`)).status).toBe(200);
      expect((await fetch(`${first.baseUrl}/a/items/4`)).status).toBe(200);
      await eventually(async () => {
        expect(await paths(registry)).toEqual({
          '/a/items/:id': 2,
          '/b/items/:id': 1,
          '/late/:id': 1,
        });
      });
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('@promkit/express options', () => {
  it('adds the labels hook’s values, read from (req, res)', async () => {
    const registry = new Registry();
    const app = express();
    app.use(
      metricsMiddleware({
        registry,
        extraLabelNames: ['tenant', 'cache'],
        labels: (req, res) => ({
          tenant: req.get('x-tenant') ?? 'none',
          cache: String(res.getHeader('x-cache') ?? 'miss'),
        }),
      }),
    );
    app.get('/users/:id', (_req, res) => {
      res.set('x-cache', 'hit').send('ok');
    });
    const server = await listen(app, registry);
    try {
      await fetch(`${server.baseUrl}/users/1`, { headers: { 'x-tenant': 'acme' } });
      await eventually(async () => {
        const family = (await registry.collect()).find(
          (f) => f.name === 'http_requests_by_status_total',
        );
        expect(family?.points.map((p) => p.labels)).toEqual([
          { method: 'GET', path: '/users/:id', status_code: '200', tenant: 'acme', cache: 'hit' },
        ]);
      });
    } finally {
      await server.close();
    }
  });

  it('protects the metrics handler with auth', async () => {
    const registry = new Registry();
    const app = express();
    app.get('/metrics', metricsHandler({ registry, auth: { bearer: 's3cret' } }));
    const server = await listen(app, registry);
    try {
      const refused = await fetch(`${server.baseUrl}/metrics`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
      const allowed = await fetch(`${server.baseUrl}/metrics`, {
        headers: { authorization: 'Bearer s3cret' },
      });
      expect(allowed.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
