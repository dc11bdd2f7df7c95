import { Registry } from '@promkit/core';
import { type PrometheusHandle, sampleValue, startPrometheus } from '@promkit/testkit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastifyMetrics } from '../src/index';

// A real Prometheus (native histograms on, so it asks for protobuf) scraping the plugin's
// /metrics route with a bearer token: what it stores must be what the app served.
describe('@promkit/fastify scraped by a real Prometheus', () => {
  let app: FastifyInstance;
  let prom: PrometheusHandle;
  const registry = new Registry();

  beforeAll(async () => {
    app = Fastify();
    await app.register(fastifyMetrics, {
      registry,
      nativeHistogram: true,
      buckets: [0.05, 0.5],
      auth: { bearer: 'scrape-token' },
    });
    app.get('/users/:id', async () => 'user');
    app.get('/boom', async () => {
      throw new Error('boom');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    for (const path of ['/users/1', '/users/2', '/users/3', '/boom', '/nope']) {
      await (await fetch(`http://127.0.0.1:${port}${path}`)).arrayBuffer();
    }
    prom = await startPrometheus({
      targets: [`127.0.0.1:${port}`],
      nativeHistograms: true,
      bearerToken: 'scrape-token',
    });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    await app?.close();
  });

  it('stores the counters and the native duration histogram by route template', async () => {
    const [requests] = await prom.waitFor(
      'http_requests_total{path="/users/:id"}',
      (r) => r.length === 1,
      20_000,
    );
    expect(sampleValue(requests!)).toBe(3);
    const [exceptions] = await prom.query('http_exceptions_total{path="/boom"}');
    expect(sampleValue(exceptions!)).toBe(1);
    const [unmatched] = await prom.query(
      'http_requests_by_status_total{path="<unmatched>",status_code="404"}',
    );
    expect(sampleValue(unmatched!)).toBe(1);
    const [duration] = await prom.query(
      'http_request_duration_seconds{path="/users/:id",status_code="200"}',
    );
    expect(duration!.histogram?.[1].count).toBe('3');
    const targets = await prom.targets();
    expect(targets.map((t) => [t.health, t.lastError])).toEqual([['up', '']]);
    expect(await prom.query('http_requests_total{path="/metrics"}')).toEqual([]);
  });
});
