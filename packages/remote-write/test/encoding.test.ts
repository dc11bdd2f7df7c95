// What goes over the wire, decoded with protobufjs from proto/*.proto (not our encoder).
import { Counter, Histogram, Registry } from '@promkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteWriter } from '../src/index';
import { recordedRegistry } from './fixture-registry';
import { type Receiver, startReceiver } from './receiver';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

const labelsOf = (series: { labels: Array<{ name: string; value: string }> }) =>
  Object.fromEntries(series.labels.map((l) => [l.name, l.value]));

describe('the WriteRequest a push sends', () => {
  it('has the remote-write 1.0 headers, sorted labels, one timestamp and metadata', async () => {
    receiver = await startReceiver();
    const writer = new RemoteWriter({
      url: receiver.url,
      registry: recordedRegistry(),
      externalLabels: { job: 'j', instance: 'i', route: 'ignored: the series has its own' },
      auth: { username: 'ü', password: 'p:w' },
      headers: { 'X-Scope-OrgID': 'tenant-1' },
      metricsRegistry: null,
    });
    await writer.push();
    expect(receiver.requests).toHaveLength(1);
    const [{ headers, body }] = receiver.requests as [(typeof receiver.requests)[0]];
    expect(headers['content-encoding']).toBe('snappy');
    expect(headers['content-type']).toBe('application/x-protobuf');
    expect(headers['x-prometheus-remote-write-version']).toBe('0.1.0');
    expect(headers['user-agent']).toMatch(/^promkit-remote-write\/\d+\.\d+\.\d+/);
    expect(headers['x-scope-orgid']).toBe('tenant-1');
    expect(headers.authorization).toBe(`Basic ${Buffer.from('ü:p:w').toString('base64')}`);

    const timestamps = new Set<number>();
    for (const series of body.timeseries) {
      const names = series.labels.map((l) => l.name);
      expect(names).toEqual([...names].sort());
      for (const s of series.samples) timestamps.add(s.timestamp);
      for (const h of series.histograms) timestamps.add(h.timestamp as number);
    }
    expect(timestamps.size).toBe(1);
    expect(Math.abs([...timestamps][0]! - Date.now())).toBeLessThan(60_000);

    const a = body.timeseries.find(
      (s) => labelsOf(s).__name__ === 'rw_requests_total' && labelsOf(s).route === '/a',
    );
    expect(labelsOf(a!)).toEqual({
      __name__: 'rw_requests_total',
      route: '/a',
      job: 'j',
      instance: 'i',
    });
    expect(a!.samples.map((s) => s.value)).toEqual([7]);

    const native = body.timeseries.find((s) => labelsOf(s).__name__ === 'rw_native_seconds');
    expect(native!.samples).toEqual([]);
    expect(native!.histograms[0]).toMatchObject({ countInt: 6, schema: 3, zeroCountInt: 1 });
    expect(native!.histograms[0]!.sum).toBeCloseTo(4.341, 12);

    const meta = Object.fromEntries(body.metadata.map((m) => [m.metricFamilyName, m]));
    expect(meta.rw_requests_total).toMatchObject({ type: 'COUNTER', help: 'Requests handled.' });
    expect(meta.rw_temperature_celsius).toMatchObject({ type: 'GAUGE', unit: 'celsius' });
    expect(meta.rw_latency_seconds?.type).toBe('HISTOGRAM');
    expect(meta.rw_size_bytes?.type).toBe('SUMMARY');
  });

  it('splits a snapshot into requests of at most maxSamplesPerRequest samples', async () => {
    receiver = await startReceiver();
    const registry = new Registry();
    const c = new Counter('split_total', 'x', { labelNames: ['i'] as const, registry });
    for (let i = 0; i < 25; i++) c.inc({ i: `${i}` }, i);
    const h = new Histogram('split_native', 'y', { native: true, registry });
    h.observe(1);
    const writer = new RemoteWriter({
      url: receiver.url,
      registry,
      maxSamplesPerRequest: 10,
      metricsRegistry: null,
    });
    await writer.push();
    const sizes = receiver.requests.map((r) => r.body.timeseries.length);
    expect(sizes).toEqual([10, 10, 6]);
    expect(receiver.requests[0]!.body.metadata.length).toBe(2);
    expect(receiver.requests[1]!.body.metadata).toEqual([]);
    const values = receiver.requests
      .flatMap((r) => r.body.timeseries)
      .filter((s) => labelsOf(s).__name__ === 'split_total')
      .map((s) => s.samples[0]!.value)
      .sort((x, y) => x - y);
    expect(values).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('keeps non-ASCII and long label values intact, and leaves empty ones out', async () => {
    receiver = await startReceiver();
    const registry = new Registry();
    const values = ['ü€𝄞', 'x'.repeat(300), ''];
    const c = new Counter('utf8_total', 'x', { labelNames: ['v'] as const, registry });
    for (const v of values) c.inc({ v });
    await new RemoteWriter({ url: receiver.url, registry, metricsRegistry: null }).push();
    const got = receiver.requests[0]!.body.timeseries.map((s) => labelsOf(s).v ?? '(none)');
    expect(got.sort()).toEqual(['(none)', 'x'.repeat(300), 'ü€𝄞'].sort());
  });

  it('sends a bearer token', async () => {
    receiver = await startReceiver();
    const registry = new Registry();
    new Counter('bearer_total', 'x', { registry }).inc();
    await new RemoteWriter({ url: receiver.url, registry, auth: { bearer: 's3cret' } }).push();
    expect(receiver.requests[0]!.headers.authorization).toBe('Bearer s3cret');
  });
});
