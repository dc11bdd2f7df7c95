import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type PrometheusHandle,
  type PromVectorSample,
  sampleValue,
  startPrometheus,
} from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, Registry, render, Summary } from '../src/index';

// Values recorded through the metric classes, scraped by a real Prometheus in whatever
// format it negotiates, and read back through its query API.

const registry = new Registry();
const requests = new Counter('rt_requests_total', 'Requests.', {
  registry,
  labelNames: ['method', 'path'] as const,
  constLabels: { app: 'shop' },
});
const temperature = new Gauge('rt_temperature_celsius', 'Temperature.', {
  registry,
  labelNames: ['room'] as const,
});
const latency = new Histogram('rt_latency_seconds', 'Latency.', {
  registry,
  buckets: [0.1, 0.5, 1],
});
const sizes = new Summary('rt_size_bytes', 'Sizes.', { registry });
const tricky = new Counter('rt_tricky_total', 'Tricky label values.', {
  registry,
  labelNames: ['v'] as const,
});
const TRICKY = ['quote " inside', 'back\\slash', 'new\nline', 'ünïcødé ✓ 日本'];

requests.inc({ method: 'GET', path: '/users/:id' }, 41);
requests.inc({ method: 'GET', path: '/users/:id' });
requests.inc({ method: 'POST', path: '/' }, 0.5);
temperature.set({ room: 'kitchen' }, -3.25);
temperature.set({ room: 'attic' }, 1e21);
for (const v of [0.05, 0.05, 0.3, 0.7, 3]) latency.observe(v);
for (let i = 1; i <= 1000; i++) sizes.observe(i);
for (const [i, v] of TRICKY.entries()) tricky.inc({ v }, i + 1);

let server: Server;
let prometheus: PrometheusHandle;
const contentTypes = new Set<string>();

beforeAll(async () => {
  server = createServer((req, res) => {
    render(registry, req.headers.accept).then(({ body, contentType }) => {
      contentTypes.add(contentType);
      res.writeHead(200, { 'content-type': contentType }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  prometheus = await startPrometheus({ targets: [`127.0.0.1:${port}`] });
  await prometheus.waitFor('rt_size_bytes_count');
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

const byLabel = (samples: PromVectorSample[], label: string) =>
  Object.fromEntries(samples.map((s) => [s.metric[label], sampleValue(s)]));

describe('metric classes through a real Prometheus', () => {
  it('negotiated OpenMetrics and the target is healthy', async () => {
    expect([...contentTypes]).toEqual([
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    ]);
    const [target] = await prometheus.targets();
    expect(target).toMatchObject({ health: 'up', lastError: '' });
  });

  it('reads counters and gauges back exactly, const labels included', async () => {
    const counters = await prometheus.query('rt_requests_total');
    expect(counters).toHaveLength(2);
    expect(byLabel(counters, 'method')).toEqual({ GET: 42, POST: 0.5 });
    expect(counters.every((s) => s.metric.app === 'shop')).toBe(true);
    expect(byLabel(await prometheus.query('rt_temperature_celsius'), 'room')).toEqual({
      kitchen: -3.25,
      attic: 1e21,
    });
  });

  it('reads cumulative histogram buckets, sum and count', async () => {
    expect(byLabel(await prometheus.query('rt_latency_seconds_bucket'), 'le')).toEqual({
      '0.1': 2,
      '0.5': 3,
      '1.0': 4,
      '+Inf': 5,
    });
    expect(sampleValue((await prometheus.query('rt_latency_seconds_count'))[0]!)).toBe(5);
    expect(sampleValue((await prometheus.query('rt_latency_seconds_sum'))[0]!)).toBeCloseTo(4.1);
  });

  it('reads summary quantiles equal to what the summary reports, within its error', async () => {
    const quantiles = byLabel(await prometheus.query('rt_size_bytes'), 'quantile');
    const local = sizes.get()!.quantiles;
    for (const { quantile, value } of local) {
      expect(quantiles[String(quantile)]).toBe(value);
    }
    expect(Math.abs(quantiles['0.5']! - 500)).toBeLessThanOrEqual(50);
    expect(Math.abs(quantiles['0.99']! - 990)).toBeLessThanOrEqual(1);
    expect(sampleValue((await prometheus.query('rt_size_bytes_sum'))[0]!)).toBe(500500);
  });

  it('keeps label values with quotes, backslashes, newlines and unicode intact', async () => {
    const read = byLabel(await prometheus.query('rt_tricky_total'), 'v');
    expect(read).toEqual(Object.fromEntries(TRICKY.map((v, i) => [v, i + 1])));
  });
});
