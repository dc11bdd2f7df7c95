import { createServer, type Server } from 'node:net';
import { Counter, Gauge, Histogram, type MetricFamily, Registry } from '@promkit/core';
import { eventually, freePort, type PushgatewayHandle, startPushgateway } from '@promkit/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  PushAbortedError,
  PushConnectionError,
  PushError,
  Pusher,
  PushTimeoutError,
} from '../src/index';
import { parseSamples } from './helpers/parse-text';

let gateway: PushgatewayHandle;

beforeAll(async () => {
  gateway = await startPushgateway({ adminApi: true });
});
afterAll(async () => {
  await gateway?.stop();
});
beforeEach(async () => {
  const wiped = await fetch(`${gateway.url}/api/v1/admin/wipe`, { method: 'PUT' });
  expect(wiped.status).toBe(202);
});

/** The gateway's own exposition, sample lines only, without its internal metrics. */
async function gatewaySamples(): Promise<Map<string, number>> {
  const page = await (await fetch(`${gateway.url}/metrics`)).text();
  return parseSamples(page);
}

describe('Pusher against a real Pushgateway', () => {
  it('replace (PUT) pushes every metric of the registry into the group', async () => {
    const registry = new Registry();
    new Counter('batch_records_total', 'Records.', { registry }).inc(42);
    const h = new Histogram('batch_seconds', 'Run time.', { registry, buckets: [1, 10] });
    h.observe(0.5);
    h.observe(5);
    const pusher = new Pusher('nightly', gateway.url, { groupingKey: { instance: 'db-1' } });
    expect(await pusher.replace(registry)).toEqual({ status: 200 });

    const samples = await gatewaySamples();
    const group = 'instance="db-1",job="nightly"';
    expect(samples.get(`batch_records_total{${group}}`)).toBe(42);
    expect(samples.get(`batch_seconds_bucket{${group},le="1"}`)).toBe(1);
    expect(samples.get(`batch_seconds_bucket{${group},le="10"}`)).toBe(2);
    expect(samples.get(`batch_seconds_bucket{${group},le="+Inf"}`)).toBe(2);
    expect(samples.get(`batch_seconds_count{${group}}`)).toBe(2);
    expect(samples.get(`batch_seconds_sum{${group}}`)).toBe(5.5);
    expect(samples.get(`push_time_seconds{${group}}`)).toBeGreaterThan(0);
  });

  it('add (POST) replaces only the pushed names; replace (PUT) drops the others', async () => {
    const first = new Registry();
    new Gauge('a_value', 'A.', { registry: first }).set(1);
    new Gauge('b_value', 'B.', { registry: first }).set(2);
    const second = new Registry();
    new Gauge('b_value', 'B.', { registry: second }).set(20);
    const pusher = new Pusher('adds', gateway.url);
    const group = 'instance="",job="adds"';

    await pusher.replace(first);
    await pusher.add(second);
    let samples = await gatewaySamples();
    expect(samples.get(`a_value{${group}}`)).toBe(1);
    expect(samples.get(`b_value{${group}}`)).toBe(20);

    await pusher.replace(second);
    samples = await gatewaySamples();
    expect(samples.has(`a_value{${group}}`)).toBe(false);
    expect(samples.get(`b_value{${group}}`)).toBe(20);
  });

  it('delete (DELETE) removes the group and only that group', async () => {
    const registry = new Registry();
    new Gauge('kept_or_not', 'K.', { registry }).set(5);
    const one = new Pusher('del', gateway.url, { groupingKey: { shard: '1' } });
    const two = new Pusher('del', gateway.url, { groupingKey: { shard: '2' } });
    await one.replace(registry);
    await two.replace(registry);
    expect((await gatewaySamples()).has('kept_or_not{instance="",job="del",shard="1"}')).toBe(true);
    expect(await one.delete()).toEqual({ status: 202 });
    // 202: the gateway queues the deletion and answers before applying it.
    await eventually(async () => {
      const samples = await gatewaySamples();
      expect(samples.has('kept_or_not{instance="",job="del",shard="1"}')).toBe(false);
      expect(samples.get('kept_or_not{instance="",job="del",shard="2"}')).toBe(5);
    });
  });

  it('carries grouping-key values with "/", empty values, spaces and unicode', async () => {
    const registry = new Registry();
    new Gauge('odd_group_value', 'O.', { registry }).set(3);
    const pusher = new Pusher('path/job', gateway.url, {
      groupingKey: { path: '/var/lib/x', empty: '', text: 'a b?c#ü' },
    });
    await pusher.replace(registry);

    const groups = (await (await fetch(`${gateway.url}/api/v1/metrics`)).json()) as {
      data: Array<{ labels: Record<string, string> }>;
    };
    expect(groups.data.map((g) => g.labels)).toContainEqual({
      job: 'path/job',
      path: '/var/lib/x',
      empty: '',
      text: 'a b?c#ü',
    });
    const samples = await gatewaySamples();
    expect(
      samples.get(
        'odd_group_value{empty="",instance="",job="path/job",path="/var/lib/x",text="a b?c#ü"}',
      ),
    ).toBe(3);

    await pusher.delete();
    await eventually(async () => {
      const after = await gatewaySamples();
      expect([...after.keys()].some((key) => key.startsWith('odd_group_value'))).toBe(false);
    });
  });

  it('strips sample timestamps, which the gateway would reject', async () => {
    const registry = new Registry();
    registry.register({
      collect: (): MetricFamily => ({
        name: 'stamped_value',
        help: 'Has a timestamp.',
        type: 'gauge',
        points: [{ labels: {}, value: 9, timestampMs: Date.now() }],
      }),
    });
    await new Pusher('stamped', gateway.url).replace(registry);
    expect((await gatewaySamples()).get('stamped_value{instance="",job="stamped"}')).toBe(9);
  });

  it('turns a 400 into a PushError with status, body and url', async () => {
    const gauge = new Registry();
    new Gauge('clash_metric', 'C.', { registry: gauge }).set(1);
    const counter = new Registry();
    new Counter('clash_metric', 'C.', { registry: counter }).inc();
    await new Pusher('clash', gateway.url, { groupingKey: { g: '1' } }).replace(gauge);
    const pusher = new Pusher('clash', gateway.url, { groupingKey: { g: '2' } });
    const error = await pusher.replace(counter).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushError);
    const pushError = error as PushError;
    expect(pushError.status).toBe(400);
    expect(pushError.url).toBe(`${gateway.url}/metrics/job/clash/g/2`);
    expect(pushError.body).toContain('clash_metric');
    expect(pushError.message).toContain('PUT');
    expect(pushError.message).toContain('400');
  });

  it('sends extra headers', async () => {
    const registry = new Registry();
    new Gauge('with_headers', 'H.', { registry }).set(1);
    // The gateway ignores unknown headers; the push still succeeds with them.
    const pusher = new Pusher('hdr', gateway.url, { headers: { 'X-Trace': 'abc' } });
    expect(await pusher.replace(registry)).toEqual({ status: 200 });
  });
});

describe('Pusher failures', () => {
  let silent: Server;
  let silentUrl: string;

  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address() as { port: number };
    silentUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    silent.close();
  });

  it('wraps a refused connection in PushConnectionError with the cause', async () => {
    const port = await freePort();
    const pusher = new Pusher('down', `http://127.0.0.1:${port}`);
    const error = await pusher.replace(new Registry()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushConnectionError);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).toContain(`http://127.0.0.1:${port}/metrics/job/down`);
    expect(((error as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('aborts a request that outlives timeoutMs with PushTimeoutError', async () => {
    const pusher = new Pusher('slow', silentUrl, { timeoutMs: 200 });
    await expect(pusher.replace(new Registry())).rejects.toThrow(PushTimeoutError);
    await expect(pusher.delete()).rejects.toThrow(/no answer within 200 ms/);
  });

  it('honours a caller AbortSignal with PushAbortedError', async () => {
    const pusher = new Pusher('aborted', silentUrl);
    const controller = new AbortController();
    const pending = pusher.replace(new Registry(), { signal: controller.signal });
    controller.abort(new Error('shutting down'));
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushAbortedError);
    expect(((error as Error).cause as Error).message).toBe('shutting down');
    await expect(pusher.add(new Registry(), { signal: AbortSignal.abort() })).rejects.toThrow(
      PushAbortedError,
    );
  });
});

describe('Pusher periodic mode', () => {
  it('pushes at start, on schedule, and a last time on stop', async () => {
    const registry = new Registry();
    const counter = new Counter('periodic_ticks_total', 'Ticks.', { registry });
    counter.inc();
    const pusher = new Pusher('periodic', gateway.url);
    const errors: Error[] = [];
    const periodic = pusher.startPeriodic({
      intervalMs: 50,
      registry,
      onError: (e) => errors.push(e),
    });
    const key = 'periodic_ticks_total{instance="",job="periodic"}';
    // The first push happens right away.
    await expect.poll(async () => (await gatewaySamples()).get(key), { timeout: 10_000 }).toBe(1);
    counter.inc(5);
    // A scheduled push carries the new value.
    await expect.poll(async () => (await gatewaySamples()).get(key), { timeout: 10_000 }).toBe(6);
    counter.inc(2);
    await periodic.stop();
    expect((await gatewaySamples()).get(key)).toBe(8);
    await periodic.stop();
    expect(errors).toEqual([]);
  });

  it('deletes the group on stop when asked', async () => {
    const registry = new Registry();
    new Gauge('periodic_delete_value', 'V.', { registry }).set(1);
    const periodic = new Pusher('periodic-del', gateway.url).startPeriodic({
      intervalMs: 60_000,
      registry,
      onStop: 'delete',
    });
    const key = 'periodic_delete_value{instance="",job="periodic-del"}';
    await expect.poll(async () => (await gatewaySamples()).get(key), { timeout: 10_000 }).toBe(1);
    await periodic.stop();
    expect((await gatewaySamples()).has(key)).toBe(false);
  });

  it('sends failures to onError, never to an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const port = await freePort();
      const errors: Error[] = [];
      const periodic = new Pusher('down', `http://127.0.0.1:${port}`).startPeriodic({
        intervalMs: 20,
        registry: new Registry(),
        onError: (e) => errors.push(e),
      });
      await expect.poll(() => errors.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      await periodic.stop();
      expect(errors.every((e) => e instanceof PushConnectionError)).toBe(true);
      // Give any stray rejection a turn of the event loop to surface.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
