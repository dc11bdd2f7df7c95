import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type PrometheusHandle,
  type PromVectorSample,
  sampleValue,
  seededRandom,
  startPrometheus,
} from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeProtobuf, PROTOBUF_CONTENT_TYPE } from '../src/exposition/protobuf';
import { NativeBuckets, resolveNativeHistogramOptions } from '../src/metrics/native-histogram';
import type { MetricFamily } from '../src/model';

// Hand-built families in the protobuf exposition, scraped by a real Prometheus with
// native histograms enabled, and read back through its query API.

// 1000 observations: three exact zeros (zero bucket) and an exponential distribution
// with mean 0.2 s.
const next = seededRandom(42);
const observations = [0, 0, 0];
while (observations.length < 1000) observations.push(-Math.log(1 - next()) * 0.2);
const native = new NativeBuckets(resolveNativeHistogramOptions('pn_latency_seconds', true));
let sum = 0;
for (const v of observations) {
  native.observe(v);
  sum += v;
}
const nativeValue = native.snapshot();
const sorted = [...observations].sort((a, b) => a - b);
/** The 0.9 quantile by nearest rank: the value at rank ceil(0.9 · n). */
const trueP90 = sorted[Math.ceil(0.9 * sorted.length) - 1]!;

// No observations yet: the default zero threshold (2^-128 > 0) marks it native.
const empty = new NativeBuckets(resolveNativeHistogramOptions('pn_idle_seconds', true));

const families: MetricFamily[] = [
  {
    name: 'pn_idle_seconds',
    help: 'Native, nothing observed yet.',
    type: 'histogram',
    points: [
      { labels: {}, value: { bounds: [], counts: [], count: 0, sum: 0, native: empty.snapshot() } },
    ],
  },
  {
    name: 'pn_latency_seconds',
    help: 'Latency, native buckets.',
    type: 'histogram',
    points: [
      {
        labels: { service: 'api' },
        value: { bounds: [], counts: [], count: observations.length, sum, native: nativeValue },
      },
    ],
  },
  {
    name: 'pn_size_bytes',
    help: 'Sizes, classic buckets.',
    type: 'histogram',
    points: [
      {
        labels: { service: 'api' },
        value: { bounds: [100, 1000, 10000], counts: [3, 5, 0, 2], count: 10, sum: 23456 },
        created: 1_700_000_000,
      },
    ],
  },
  {
    name: 'pn_events_total',
    help: 'Events.',
    type: 'counter',
    points: [
      { labels: { kind: 'a' }, value: 42.5, created: 1_700_000_000 },
      { labels: { kind: 'b' }, value: 0 },
    ],
  },
  {
    name: 'pn_temperature_celsius',
    help: 'Temperature.',
    type: 'gauge',
    points: [
      { labels: { room: 'kitchen' }, value: -3.25 },
      { labels: { room: 'attic' }, value: 1e21 },
    ],
  },
];

let server: Server;
let prometheus: PrometheusHandle;
const acceptHeaders: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const accept = req.headers.accept ?? '';
    acceptHeaders.push(accept);
    if (!accept.includes('application/vnd.google.protobuf')) {
      res.writeHead(406, { 'content-type': 'text/plain' }).end('protobuf only');
      return;
    }
    res.writeHead(200, { 'content-type': PROTOBUF_CONTENT_TYPE }).end(encodeProtobuf(families));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  prometheus = await startPrometheus({ targets: [`127.0.0.1:${port}`], nativeHistograms: true });
  await prometheus.waitFor('histogram_count(pn_latency_seconds)');
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

const only = (samples: PromVectorSample[]): number => {
  expect(samples).toHaveLength(1);
  return sampleValue(samples[0]!);
};

describe('protobuf exposition through a real Prometheus with native histograms', () => {
  it('was asked for protobuf first and scraped without error', async () => {
    expect(acceptHeaders.length).toBeGreaterThan(0);
    for (const accept of acceptHeaders) {
      expect(
        accept.startsWith(
          'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
        ),
      ).toBe(true);
    }
    const [target] = await prometheus.targets();
    expect(target).toMatchObject({ health: 'up', lastError: '' });
  });

  it('stores the native histogram with its count and sum', async () => {
    const [sample] = await prometheus.query('pn_latency_seconds');
    expect(sample?.histogram).toBeDefined();
    expect(sample!.metric).toMatchObject({ __name__: 'pn_latency_seconds', service: 'api' });
    expect(only(await prometheus.query('histogram_count(pn_latency_seconds)'))).toBe(1000);
    expect(only(await prometheus.query('histogram_sum(pn_latency_seconds)'))).toBe(sum);
  });

  it('stores a native histogram without observations as native', async () => {
    const [sample] = await prometheus.query('pn_idle_seconds');
    expect(sample?.histogram?.[1]).toMatchObject({ count: '0', sum: '0' });
    expect(await prometheus.query('pn_idle_seconds_count')).toEqual([]);
  });

  it('estimates the 0.9 quantile within the relative error of the schema', async () => {
    const estimate = only(await prometheus.query('histogram_quantile(0.9, pn_latency_seconds)'));
    const relativeWidth = 2 ** (2 ** -nativeValue.schema) - 1;
    expect(Math.abs(estimate - trueP90)).toBeLessThanOrEqual(relativeWidth * trueP90);
  });

  it('reads the classic histogram buckets, count and sum exactly', async () => {
    const buckets = await prometheus.query('pn_size_bytes_bucket');
    // One series per bound: the explicit +Inf bucket is not doubled by Prometheus' own.
    expect(buckets).toHaveLength(4);
    const bound = (le = '') => (le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le));
    const byBound = Object.fromEntries(buckets.map((s) => [bound(s.metric.le), sampleValue(s)]));
    expect(byBound).toEqual({ 100: 3, 1000: 8, 10000: 8, [Number.POSITIVE_INFINITY]: 10 });
    expect(only(await prometheus.query('pn_size_bytes_count'))).toBe(10);
    expect(only(await prometheus.query('pn_size_bytes_sum'))).toBe(23456);
  });

  it('reads the counter and gauge back exactly', async () => {
    const counters = await prometheus.query('pn_events_total');
    expect(Object.fromEntries(counters.map((s) => [s.metric.kind, sampleValue(s)]))).toEqual({
      a: 42.5,
      b: 0,
    });
    const gauges = await prometheus.query('pn_temperature_celsius');
    expect(Object.fromEntries(gauges.map((s) => [s.metric.room, sampleValue(s)]))).toEqual({
      kitchen: -3.25,
      attic: 1e21,
    });
  });
});
