import { type Context, Hono } from 'hono';
import { HonoRequest } from 'hono/request';
import { matchedRoutes } from 'hono/route';
import { Hono as HonoCopy } from 'hono-copy';
import { afterEach, describe, expect, it, vi } from 'vitest';

type RouteTemplate = (c: Context) => string | undefined;

/** A fresh copy of the module: what it learnt about request prototypes starts empty. */
async function freshRouteTemplate(): Promise<RouteTemplate> {
  vi.resetModules();
  return (await import('../src/route-template')).routeTemplate;
}

/** What `routeTemplate` answers in the handler and after `next()` in a middleware. */
async function templatesOf(
  make: () => Hono,
  routeTemplate: RouteTemplate,
  path: string,
  method = 'GET',
): Promise<{ inHandler: string | undefined; afterNext: string | undefined; expected: string }> {
  const app = make();
  let afterNext: string | undefined;
  let inHandler: string | undefined;
  let expected = '';
  app.use(async (c, next) => {
    await next();
    afterNext = routeTemplate(c);
    // The public helper's answer, by the rule routeTemplate documents.
    const routes = matchedRoutes(c as never);
    const answering = routes
      .slice(c.req.routeIndex)
      .find((r) => r.method !== 'ALL' || r.handler.length < 2);
    expected = answering?.path ?? '<none>';
  });
  app.get('/users/:id', (c) => {
    inHandler = routeTemplate(c);
    return c.text('user');
  });
  app.post('/users', (c) => c.text('made', 201));
  app.route(
    '/api/v1',
    new Hono().get('/items/:id{[0-9]+}', (c) => {
      inHandler = routeTemplate(c);
      return c.text('item');
    }),
  );
  app.use('/guarded/*', async (c, next) => {
    if (c.req.header('x-key') === undefined) return c.text('no', 401);
    await next();
  });
  app.get('/guarded/:id', (c) => c.text('in'));
  await app.request(path, { method });
  return { inHandler, afterNext, expected };
}

describe('routeTemplate', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.resetModules();
  });

  it("answers what Hono's matchedRoutes gives, for handlers, prefixes, middleware answering and 404s", async () => {
    const routeTemplate = await freshRouteTemplate();
    const cases: Array<[string, string, string | undefined]> = [
      ['GET', '/users/7', '/users/:id'],
      ['POST', '/users', '/users'],
      ['GET', '/api/v1/items/3', '/api/v1/items/:id{[0-9]+}'],
      ['GET', '/guarded/1', '/guarded/:id'],
      ['GET', '/nowhere', undefined],
    ];
    for (const [method, path, template] of cases) {
      const seen = await templatesOf(() => new Hono(), routeTemplate, path, method);
      expect(seen.afterNext, `${method} ${path}`).toBe(template);
      expect(seen.expected, `${method} ${path}`).toBe(template ?? '<none>');
    }
    const handler = await templatesOf(() => new Hono(), routeTemplate, '/users/7');
    expect(handler.inHandler).toBe('/users/:id');
  });

  it('reads the route of a request made by a second copy of hono (whose matchedRoutes helper differs)', async () => {
    const routeTemplate = await freshRouteTemplate();
    const make = () => new HonoCopy() as unknown as Hono;
    const copy = await templatesOfCopy(make, routeTemplate);
    expect(copy).toEqual(['/users/:id', '/api/v1/items/:id{[0-9]+}', undefined]);
    // And the first copy's requests still, alternating with the second's.
    const own = await templatesOf(() => new Hono(), routeTemplate, '/users/7');
    expect(own.afterNext).toBe('/users/:id');
    expect(await templatesOfCopy(make, routeTemplate)).toEqual(copy);
  });

  it('trusts no key when two getters have the match result shape, and answers through matchedRoutes', async () => {
    const decoy = Symbol();
    const wrongRoute = { path: '/decoy', method: 'GET', handler: () => 'decoy' };
    Object.defineProperty(HonoRequest.prototype, decoy, {
      configurable: true,
      get: () => [[[[wrongRoute.handler, wrongRoute], {}]]],
    });
    try {
      const routeTemplate = await freshRouteTemplate();
      const seen = await templatesOf(() => new Hono(), routeTemplate, '/users/7');
      expect(seen.afterNext).toBe('/users/:id');
      expect(seen.inHandler).toBe('/users/:id');
    } finally {
      delete (HonoRequest.prototype as unknown as Record<symbol, unknown>)[decoy];
    }
  });

  it('calls no getter under a symbol named for something else', async () => {
    const other = Symbol('request body cache');
    let calls = 0;
    Object.defineProperty(HonoRequest.prototype, other, {
      configurable: true,
      get: () => {
        calls++;
        throw new Error('not to be read');
      },
    });
    try {
      const routeTemplate = await freshRouteTemplate();
      const seen = await templatesOf(() => new Hono(), routeTemplate, '/users/7');
      expect(seen.afterNext).toBe('/users/:id');
      expect(calls).toBe(0);
    } finally {
      delete (HonoRequest.prototype as unknown as Record<symbol, unknown>)[other];
    }
  });

  it('skips an unnamed getter that throws, and still finds the key', async () => {
    const throwing = Symbol();
    Object.defineProperty(HonoRequest.prototype, throwing, {
      configurable: true,
      get: () => {
        throw new Error('not the match result');
      },
    });
    try {
      const routeTemplate = await freshRouteTemplate();
      const getters = vi.spyOn(Object, 'getOwnPropertySymbols');
      const seen = await templatesOf(() => new Hono(), routeTemplate, '/users/7');
      expect(seen.afterNext).toBe('/users/:id');
      await templatesOf(() => new Hono(), routeTemplate, '/users/8');
      // Found on the first request: not searched again.
      expect(getters.mock.calls.filter(([o]) => o === HonoRequest.prototype).length).toBe(1);
    } finally {
      delete (HonoRequest.prototype as unknown as Record<symbol, unknown>)[throwing];
    }
  });

  it('decides nothing from a request that matched no handler, and finds the key on the next', async () => {
    const routeTemplate = await freshRouteTemplate();
    const getters = vi.spyOn(Object, 'getOwnPropertySymbols');
    const app = new Hono();
    const bare = { req: new HonoRequest(new Request('http://x/a/1')) } as unknown as Context;
    expect(routeTemplate(bare)).toBeUndefined();
    let template: string | undefined;
    app.use(async (c, next) => {
      await next();
      template = routeTemplate(c);
    });
    app.get('/b/:id', (c) => c.text('b'));
    await app.request('/b/2');
    expect(template).toBe('/b/:id');
    const searches = getters.mock.calls.filter(([o]) => o === HonoRequest.prototype).length;
    expect(searches).toBe(2);
    // Found: later requests read it without searching again.
    await app.request('/b/3');
    await app.request('/b/4');
    expect(getters.mock.calls.filter(([o]) => o === HonoRequest.prototype).length).toBe(2);
  });
});

/** The templates a second copy's app reports after `next()` for a route, a prefixed route and a 404. */
async function templatesOfCopy(
  make: () => Hono,
  routeTemplate: RouteTemplate,
): Promise<Array<string | undefined>> {
  const seen: Array<string | undefined> = [];
  const app = make();
  app.use(async (c, next) => {
    await next();
    seen.push(routeTemplate(c));
  });
  app.get('/users/:id', (c) => c.text('user'));
  app.route(
    '/api/v1',
    (make() as Hono).get('/items/:id{[0-9]+}', (c) => c.text('item')),
  );
  for (const path of ['/users/1', '/api/v1/items/2', '/nowhere']) await app.request(path);
  return seen;
}
