import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type PrometheusHandle, sampleValue, startPrometheus } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../src/exposition/render';
import { Counter } from '../src/metrics/counter';
import { Histogram } from '../src/metrics/histogram';
import { Registry } from '../src/registry';

// A UTF-8 registry scraped by a real Prometheus 2.42 (native histograms on, so it asks
// for protobuf first). Its Accept names no escaping. One server per format: each keeps
// from Prometheus' own Accept header only the ranges of its format and the wildcard, so
// every response is negotiated from what Prometheus really sent.

const FORMATS = {
  protobuf: /^application\/vnd\.google\.protobuf/,
  openmetrics: /^application\/openmetrics-text;version=1\.0\.0/,
  openmetrics001: /^application\/openmetrics-text;version=0\.0\.1/,
  text: /^text\/plain/,
} as const;
type Format = keyof typeof FORMATS;

const registry = new Registry({ nameValidation: 'utf8' });
const requests = new Counter('http.server.requests_total', 'Requests.', {
  registry,
  labelNames: ['http.request.method'] as const,
});
requests.inc({ 'http.request.method': 'GET' }, 7);
new Histogram('http.server.duration', 'Duration.', {
  registry,
  labelNames: ['http.request.method'] as const,
  buckets: [0.1],
}).observe({ 'http.request.method': 'GET' }, 0.05);

const servers = new Map<Format, Server>();
const seen = new Map<Format, { accept: string; contentType: string }>();
let prometheus: PrometheusHandle;

beforeAll(async () => {
  for (const format of Object.keys(FORMATS) as Format[]) {
    const server = createServer((req, res) => {
      const accept = req.headers.accept ?? '';
      const kept = accept
        .split(',')
        .filter((range) => FORMATS[format].test(range) || range.startsWith('*/*'))
        .join(',');
      render(registry, kept).then(
        ({ body, contentType }) => {
          seen.set(format, { accept, contentType });
          res.writeHead(200, { 'Content-Type': contentType }).end(body);
        },
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    servers.set(format, server);
  }
  const targets = [...servers.values()].map(
    (s) => `127.0.0.1:${(s.address() as AddressInfo).port}`,
  );
  prometheus = await startPrometheus({ targets, nativeHistograms: true });
}, 30_000);

afterAll(async () => {
  await prometheus?.stop();
  for (const server of servers.values()) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('Prometheus 2.42 scraping a UTF-8 registry', () => {
  it('gets every format, names escaped with underscores, Content-Types as before', async () => {
    const up = await prometheus.waitFor('up == 1', (r) => r.length === 4);
    expect(up).toHaveLength(4);
    const samples = await prometheus.waitFor(
      'http_server_requests_total{http_request_method="GET"}',
      (r) => r.length === 4,
    );
    expect(samples.map(sampleValue)).toEqual([7, 7, 7, 7]);
    const counts = await prometheus.waitFor(
      'http_server_duration_count{http_request_method="GET"}',
      (r) => r.length === 4,
    );
    expect(counts.map(sampleValue)).toEqual([1, 1, 1, 1]);
    for (const target of await prometheus.targets()) expect(target.lastError).toBe('');
    for (const { accept } of seen.values()) expect(accept).not.toContain('escaping');
    expect(Object.fromEntries([...seen].map(([f, s]) => [f, s.contentType]))).toEqual({
      protobuf:
        'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
      openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      openmetrics001: 'application/openmetrics-text; version=0.0.1; charset=utf-8',
      text: 'text/plain; version=0.0.4; charset=utf-8',
    });
    // Nothing arrived under a dotted name.
    const dotted = await prometheus.query('{__name__=~".*\\\\..*"}');
    expect(dotted).toEqual([]);
  }, 40_000);
});
