import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { routeConfigReader } from '../src/route-config';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

interface Seen {
  readonly fast: unknown;
  readonly public: unknown;
  readonly routeOptionsReads: number;
}

/** A real app whose handlers and 404 handler report what the reader gives beside `routeOptions`. */
async function serve(
  read: (request: FastifyRequest) => unknown,
): Promise<{ base: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const app = Fastify();
  apps.push(app);
  const report = (request: FastifyRequest) => {
    // Counts the reader's own reads of the public getter on this request.
    let reads = 0;
    let descriptor: PropertyDescriptor | undefined;
    for (let o: object | null = request; descriptor === undefined && o !== null; ) {
      descriptor = Object.getOwnPropertyDescriptor(o, 'routeOptions');
      o = Object.getPrototypeOf(o) as object | null;
    }
    Object.defineProperty(request, 'routeOptions', {
      configurable: true,
      get() {
        reads++;
        return descriptor?.get?.call(this);
      },
    });
    const fast = read(request);
    const routeOptionsReads = reads;
    delete (request as { routeOptions?: unknown }).routeOptions;
    seen.push({ fast, public: request.routeOptions.config, routeOptionsReads });
  };
  app.get('/users/:id', { config: { disableMetrics: true } }, async (request) => {
    report(request);
    return 'ok';
  });
  app.get('/items', async (request) => {
    report(request);
    return 'ok';
  });
  app.setNotFoundHandler(async (request, reply) => {
    report(request);
    return reply.code(404).send('no');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, seen };
}

describe('routeConfigReader', () => {
  it("gives the config routeOptions gives (template, opt-out), read from Fastify's route context", async () => {
    const { base, seen } = await serve(routeConfigReader());
    for (const path of ['/users/1', '/items', '/nowhere', '/users/2', '/items', '/nowhere']) {
      await (await fetch(`${base}${path}`)).text();
    }
    expect(seen).toHaveLength(6);
    for (const s of seen) expect(s.fast).toBe(s.public);
    expect((seen[0]!.fast as { url?: string; disableMetrics?: boolean }).url).toBe('/users/:id');
    expect((seen[0]!.fast as { disableMetrics?: boolean }).disableMetrics).toBe(true);
    expect((seen[1]!.fast as { url?: string }).url).toBe('/items');
    expect((seen[2]!.fast as { url?: string } | undefined)?.url).toBeUndefined();
    // The first request finds and checks the symbol through the getter; later ones do not read it.
    expect(seen[0]!.routeOptionsReads).toBe(1);
    expect(seen.slice(1).map((s) => s.routeOptionsReads)).toEqual([0, 0, 0, 0, 0]);
  });

  it('falls back to routeOptions for a request without the route context', async () => {
    const { base, seen } = await serve(routeConfigReader());
    await (await fetch(`${base}/items`)).text();
    const read = routeConfigReader();
    const config = { url: '/x' };
    // A request-like object of another Fastify: no route-context symbol.
    const other = { routeOptions: { config } } as unknown as FastifyRequest;
    expect(read(other)).toBe(config);
    expect(read(other)).toBe(config);
    expect(seen).toHaveLength(1);
  });
});
