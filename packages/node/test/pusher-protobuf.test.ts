import { Counter, Histogram, Registry } from '@promkit/core';
import {
  type DecodedMetricFamily,
  decodeProtobuf,
  type PushgatewayHandle,
  startPushgateway,
} from '@promkit/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Pusher } from '../src/index';
import { needsProtobuf } from '../src/push-body';

const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

let gateway: PushgatewayHandle;

beforeAll(async () => {
  gateway = await startPushgateway({ adminApi: true });
});
afterAll(async () => {
  await gateway?.stop();
});
beforeEach(async () => {
  expect((await fetch(`${gateway.url}/api/v1/admin/wipe`, { method: 'PUT' })).status).toBe(202);
});

/** The gateway's own /metrics, read back in protobuf. */
async function gatewayFamily(name: string): Promise<DecodedMetricFamily | undefined> {
  const response = await fetch(`${gateway.url}/metrics`, { headers: { accept: PROTOBUF_ACCEPT } });
  expect(response.headers.get('content-type')).toContain('application/vnd.google.protobuf');
  const families = decodeProtobuf(new Uint8Array(await response.arrayBuffer()));
  return families.find((family) => family.name === name);
}

function nativeRegistry(): Registry {
  const registry = new Registry();
  const latency = new Histogram('job_latency_seconds', 'Job latency.', {
    registry,
    native: { schema: 3 },
  });
  for (const value of [0.001, 0.02, 0.02, 0.3, 4, 4.1]) latency.observe(value);
  return registry;
}

describe('Pusher bodies', () => {
  it('auto: a native histogram goes as protobuf and reads back with schema, spans and counts intact', async () => {
    const registry = nativeRegistry();
    const local = (await registry.collect())[0]!;
    if (local.type !== 'histogram') throw new Error(`expected a histogram, got ${local.type}`);
    const localNative = local.points[0]!.value.native!;
    expect(localNative.schema).toBe(3);
    const pusher = new Pusher('native', gateway.url, { groupingKey: { instance: 'a' } });
    expect(await pusher.replace(registry)).toEqual({ status: 200 });
    const family = await gatewayFamily('job_latency_seconds');
    expect(family?.type).toBe('histogram');
    const metric = family!.metrics.find((m) => m.labels.job === 'native')!;
    expect(metric.labels.instance).toBe('a');
    const histogram = metric.histogram!;
    expect(histogram.count).toBe(6);
    expect(histogram.sum).toBeCloseTo(8.441, 10);
    expect(histogram.native?.schema).toBe(3);
    expect(histogram.native?.zeroCount).toBe(localNative.zeroCount);
    expect(histogram.native?.positiveSpans).toEqual(localNative.positiveSpans);
    expect(histogram.native?.positiveDeltas).toEqual(localNative.positiveDeltas);
  });

  it('text, when forced, loses the native buckets: the reason auto picks protobuf', async () => {
    const pusher = new Pusher('forced-text', gateway.url, { format: 'text' });
    expect(await pusher.replace(nativeRegistry())).toEqual({ status: 200 });
    const family = await gatewayFamily('job_latency_seconds');
    const histogram = family!.metrics.find((m) => m.labels.job === 'forced-text')!.histogram!;
    expect(histogram.count).toBe(6);
    expect(histogram.native?.positiveSpans ?? []).toEqual([]);
  });

  it('auto: exemplars go as protobuf and read back; forced protobuf works for plain registries', async () => {
    const registry = new Registry();
    new Counter('orders_total', 'Orders.', { registry }).incWithExemplar({}, 2, {
      trace_id: 'abc123',
    });
    expect(needsProtobuf(await registry.collect())).toBe(true);
    await new Pusher('exemplars', gateway.url).replace(registry);
    const orders = await gatewayFamily('orders_total');
    const metric = orders!.metrics.find((m) => m.labels.job === 'exemplars')!;
    expect(metric.value).toBe(2);
    expect(metric.exemplar?.labels).toEqual({ trace_id: 'abc123' });

    const plain = new Registry();
    new Counter('plain_total', 'Plain.', { registry: plain }).inc(5);
    expect(needsProtobuf(await plain.collect())).toBe(false);
    await new Pusher('forced-pb', gateway.url, { format: 'protobuf' }).replace(plain);
    const family = await gatewayFamily('plain_total');
    expect(family!.metrics.find((m) => m.labels.job === 'forced-pb')!.value).toBe(5);
  });

  it('rejects an unknown format, naming it', () => {
    expect(() => new Pusher('x', gateway.url, { format: 'json' as never })).toThrow(
      'Pusher: format must be one of auto, protobuf, text, got "json"',
    );
  });
});
