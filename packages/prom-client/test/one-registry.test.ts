import { Counter as CoreCounter, REGISTRY } from '@promkit/core';
import { decodeProtobuf } from '@promkit/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import client, { Counter, Gauge, Histogram, register, Summary } from '../src/index';
import { PROTOBUF_ACCEPT, startPromkitServer } from './http-server';

let server: Awaited<ReturnType<typeof startPromkitServer>>;

beforeAll(async () => {
  server = await startPromkitServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(() => {
  register.clear();
  REGISTRY.clear();
});

describe('one registry: metrics made through this API are served by promkit endpoints', () => {
  it('serves them in text and in protobuf from @promkit/express metricsHandler()', async () => {
    const orders = new Counter({
      name: 'compat_orders_total',
      help: 'Orders.',
      labelNames: ['kind'],
    });
    orders.inc({ kind: 'book' }, 3);
    orders.labels('pen').inc();
    const latency = new Histogram({
      name: 'compat_latency_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      buckets: [0.1, 1],
    });
    latency.observe({ route: '/a' }, 0.05);
    latency.observe({ route: '/a' }, 0.5);
    latency.observe({ route: '/a' }, 5);
    new Gauge({
      name: 'compat_queue',
      help: 'Queue.',
      collect() {
        this.set(42);
      },
    });
    const sizes = new Summary({ name: 'compat_size', help: 'Size.', percentiles: [0.5] });
    sizes.observe(10);

    const text = await (await fetch(server.url)).text();
    expect(text).toContain('compat_orders_total{kind="book"} 3');
    expect(text).toContain('compat_orders_total{kind="pen"} 1');
    expect(text).toContain('compat_latency_seconds_bucket{route="/a",le="0.1"} 1');
    expect(text).toContain('compat_latency_seconds_bucket{route="/a",le="+Inf"} 3');
    expect(text).toContain('compat_queue 42');
    expect(text).toContain('compat_size{quantile="0.5"} 10');

    const response = await fetch(server.url, { headers: { accept: PROTOBUF_ACCEPT } });
    expect(response.headers.get('content-type')).toContain('application/vnd.google.protobuf');
    const families = decodeProtobuf(new Uint8Array(await response.arrayBuffer()));
    const byName = new Map(families.map((f) => [f.name, f]));
    expect(byName.get('compat_orders_total')?.type).toBe('counter');
    expect(byName.get('compat_orders_total')?.metrics).toEqual([
      { labels: { kind: 'book' }, value: 3 },
      { labels: { kind: 'pen' }, value: 1 },
    ]);
    const histogram = byName.get('compat_latency_seconds')?.metrics[0];
    expect(histogram?.labels).toEqual({ route: '/a' });
    expect(histogram?.histogram?.count).toBe(3);
    expect(histogram?.histogram?.sum).toBeCloseTo(5.55);
    expect(histogram?.histogram?.buckets.map((b) => [b.upperBound, b.cumulativeCount])).toEqual([
      [0.1, 1],
      [1, 2],
      [Number.POSITIVE_INFINITY, 3],
    ]);
    expect(byName.get('compat_queue')?.metrics[0]?.value).toBe(42);
    expect(byName.get('compat_size')?.metrics[0]?.summary).toEqual({
      count: 1,
      sum: 10,
      quantiles: [{ quantile: 0.5, value: 10 }],
    });
  });

  it('register.metrics() keeps prom-client text while promkit serves its own', async () => {
    const c = new Counter({ name: 'compat_jobs', help: 'Jobs.' });
    c.inc(2);
    expect(await register.metrics()).toBe(
      '# HELP compat_jobs Jobs.\n# TYPE compat_jobs counter\ncompat_jobs 2\n',
    );
    expect(await (await fetch(server.url)).text()).toContain('compat_jobs 2');
  });

  it('applies the global default labels on promkit pages too', async () => {
    register.setDefaultLabels({ app: 'shop' });
    new Gauge({ name: 'compat_labelled', help: 'h', labelNames: ['x'] }).set({ x: '1' }, 1);
    expect(await (await fetch(server.url)).text()).toContain('compat_labelled{x="1",app="shop"} 1');
  });

  it('removal and clear() take the metrics off promkit pages', async () => {
    new Gauge({ name: 'compat_gone', help: 'h' });
    new Gauge({ name: 'compat_stays', help: 'h' });
    register.removeSingleMetric('compat_gone');
    const text = await (await fetch(server.url)).text();
    expect(text).not.toContain('compat_gone');
    expect(text).toContain('compat_stays');
    register.clear();
    expect(await (await fetch(server.url)).text()).not.toContain('compat_stays');
  });

  it('a name clash with a promkit metric is refused on either side', () => {
    new CoreCounter('compat_native_total', 'Native.');
    expect(() => new Counter({ name: 'compat_native_total', help: 'h' })).toThrow(
      'A metric with the name compat_native_total has already been registered.',
    );
    new Gauge({ name: 'compat_first', help: 'h' });
    expect(() => new CoreCounter('compat_first', 'h')).toThrow(/already registered/);
  });

  it('custom registries stay private, as in prom-client', async () => {
    const registry = new client.Registry();
    new Gauge({ name: 'compat_private', help: 'h', registers: [registry] }).set(1);
    expect(await registry.metrics()).toContain('compat_private 1');
    expect(await (await fetch(server.url)).text()).not.toContain('compat_private');
  });

  it('one global register for the ESM and CommonJS builds', async () => {
    const { createRequire } = await import('node:module');
    const cjs = createRequire(import.meta.url)('../dist/index.cjs');
    expect(cjs.register).toBe(register);
  });
});
