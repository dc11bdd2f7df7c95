import {
  Counter,
  Gauge,
  Histogram,
  Info,
  type PromkitError,
  render,
  StateSet,
  Summary,
} from '@promkit/core';
import { decodeProtobuf, promtoolCheck, type RedisHandle, startRedis } from '@promkit/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRegistry, MetricConflictError, type RedisRegistry } from '../src/index';
import { parseSamples } from './helpers/samples';

describe('exposition of shared metrics', () => {
  let redis: RedisHandle;
  const registries: RedisRegistry[] = [];
  const open = (options: Parameters<typeof createRedisRegistry>[0]) => {
    const registry = createRedisRegistry({ redis: redis.url, onError: () => {}, ...options });
    registries.push(registry);
    return registry;
  };

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.allSettled(registries.map((r) => r.close()));
    await redis?.stop();
  });

  it('renders every format through core writers, and the text passes promtool', async () => {
    const registry = open({ prefix: 'formats', processId: 'p1' });
    const requests = new Counter('http:requests_total', 'Requests "quoted"\nand a newline.', {
      registry,
      labelNames: ['path'] as const,
    });
    requests.inc({ path: '/a"b\\c\nd' }, 3);
    const latency = new Histogram('http_latency_seconds', 'Latency.', {
      registry,
      buckets: [0.1, 1],
      unit: 'seconds',
    });
    latency.observe(0.5);
    new Summary('body_bytes', 'Bodies.', { registry }).observe(100);
    new Gauge('queue_depth', 'Depth.', { registry, labelNames: [] }).set(4);
    new Info('build', 'Build.', { registry }).set({ version: '2.0' });
    new StateSet('mode', 'Mode.', { registry, states: ['on', 'off'] as const }).set(
      undefined,
      'on',
    );

    const text = await render(registry, 'text/plain');
    expect(text.format).toBe('text');
    const samples = parseSamples(text.body as string);
    expect(samples.get('http:requests_total{path="/a\\"b\\\\c\\nd"}')).toBe(3);
    expect(samples.get('http_latency_seconds_bucket{le="1"}')).toBe(1);
    expect(samples.get('queue_depth{process="p1"}')).toBe(4);
    expect(samples.get('build_info{version="2.0",process="p1"}')).toBe(1);
    expect(samples.get('mode{mode="on",process="p1"}')).toBe(1);
    const lint = await promtoolCheck(text.body as string);
    expect(lint.code, lint.output).not.toBe(1);

    const om = await render(registry, 'application/openmetrics-text; version=1.0.0');
    expect(om.format).toBe('openmetrics');
    expect(om.body).toContain('# UNIT http_latency_seconds seconds');
    expect(om.body).toContain('# TYPE mode stateset');
    expect(om.body).toContain('# TYPE build info');
    expect((om.body as string).endsWith('# EOF\n')).toBe(true);

    const pb = await render(
      registry,
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    );
    expect(pb.format).toBe('protobuf');
    const decoded = decodeProtobuf(pb.body as Uint8Array);
    const histogram = decoded.find((f) => f.name === 'http_latency_seconds')!;
    expect(histogram.metrics[0]!.histogram!.count).toBe(1);
    expect(histogram.metrics[0]!.histogram!.buckets.map((b) => b.cumulativeCount)).toEqual([
      0, 1, 1,
    ]);
    const summary = decoded.find((f) => f.name === 'body_bytes')!;
    expect(summary.metrics[0]!.summary).toMatchObject({ count: 1, sum: 100, quantiles: [] });
  });

  it('keeps prefixes apart and lets a process that never defined a metric expose it', async () => {
    const blue = open({ prefix: 'blue', processId: 'b' });
    const green = open({ prefix: 'green', processId: 'g' });
    new Counter('deploys_total', 'Deploys.', { registry: blue, labelNames: [] }).inc(2);
    new Counter('deploys_total', 'Deploys.', { registry: green, labelNames: [] }).inc(5);
    await blue.flush();
    await green.flush();
    const bystander = open({ prefix: 'blue', processId: 'bystander' });
    const body = (await render(bystander)).body as string;
    expect(body).toContain('# HELP deploys_total Deploys.');
    expect(parseSamples(body).get('deploys_total')).toBe(2);
  });

  it('refuses a second definition with other buckets, and reports it', async () => {
    const errors: PromkitError[] = [];
    const first = open({ prefix: 'clash', processId: 'first' });
    const second = open({ prefix: 'clash', processId: 'second', onError: (e) => errors.push(e) });
    new Histogram('size_bytes', 'Sizes.', { registry: first, buckets: [1, 10] }).observe(5);
    await first.flush();
    new Histogram('size_bytes', 'Sizes.', { registry: second, buckets: [1, 100] }).observe(50);
    await second.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(MetricConflictError);
    expect(errors[0]!.message).toMatch(
      /Metric "size_bytes" is stored in Redis .*\[1,10\].*\[1,100\]/,
    );
    // The stored definition wins; the second process's observation is not mixed in.
    const samples = parseSamples((await render(second)).body as string);
    expect(samples.get('size_bytes_bucket{le="10"}')).toBe(1);
    expect(samples.get('size_bytes_count')).toBe(1);
  });

  it('reports a native-only histogram instead of sharing wrong numbers', async () => {
    const errors: PromkitError[] = [];
    const registry = open({ prefix: 'native', processId: 'n', onError: (e) => errors.push(e) });
    new Histogram('rtt_seconds', 'RTT.', { registry, native: true }).observe(0.3);
    await registry.flush();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/Histogram "rtt_seconds" has only native buckets/),
    ]);
    expect((await registry.collect()).some((f) => f.name === 'rtt_seconds')).toBe(false);
  });

  it('works with a caller-owned RESP2 client and leaves it open on close', async () => {
    const client = new Redis(redis.url, { protocol: 2 });
    const registry = createRedisRegistry({ redis: client, prefix: 'resp2', processId: 'r' });
    new Gauge('temp', 'Temp.', { registry, labelNames: [] }).set(1.5);
    new Counter('hits_total', 'Hits.', { registry, labelNames: [] }).inc();
    const samples = parseSamples((await render(registry)).body as string);
    expect(samples.get('temp{process="r"}')).toBe(1.5);
    expect(samples.get('hits_total')).toBe(1);
    await registry.close();
    expect(await client.ping()).toBe('PONG');
    await client.quit();
  });

  it('wipes every key under its prefix with SCAN, and nothing else', async () => {
    const keep = open({ prefix: 'keep', processId: 'k' });
    const drop = open({ prefix: 'drop', processId: 'd' });
    new Counter('a:b_total', 'A.', { registry: keep, labelNames: [] }).inc();
    new Counter('a:b_total', 'A.', { registry: drop, labelNames: [] }).inc();
    await keep.flush();
    await drop.flush();
    expect(await drop.wipe()).toBeGreaterThan(0);
    expect(await drop.client.exists('drop:m:a:b_total', 'drop:meta')).toBe(0);
    expect(await keep.client.exists('keep:m:a:b_total', 'keep:meta')).toBe(2);
  });

  it('removes an unregistered gauge from Redis and rewrites it when registered again', async () => {
    const registry = open({ prefix: 'unreg', processId: 'u' });
    const first = new Gauge('workers', 'Workers.', { registry, labelNames: [] });
    first.set(3);
    await registry.flush();
    registry.unregister(first);
    await registry.flush();
    expect(await registry.client.hkeys('unreg:g:u')).toEqual(['hb']);
    const second = new Gauge('workers', 'Workers.', { registry, labelNames: [] });
    second.set(4);
    await registry.flush();
    expect(parseSamples((await render(registry)).body as string).get('workers{process="u"}')).toBe(
      4,
    );
  });

  it("refuses an ioredis keyPrefix, which the flush script's keys would not carry", () => {
    expect(() => createRedisRegistry({ redis: { port: redis.port, keyPrefix: 'app:' } })).toThrow(
      /keyPrefix "app:" is not supported/,
    );
  });

  it('rejects flush and collect after close with StoreUnavailableError', async () => {
    const registry = createRedisRegistry({ redis: redis.url, prefix: 'closed', processId: 'c' });
    await registry.close();
    expect(() => registry.flush()).toThrow(/closed/);
    await expect(registry.collect()).rejects.toMatchObject({
      code: 'PROMKIT_ERR_STORE_UNAVAILABLE',
    });
  });
});
