import { Counter, Registry } from '@promkit/core';
import { type PrometheusHandle, sampleValue, startPrometheus } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectDefaultMetrics, type DefaultMetrics, Service } from '../src/index';
import { makeCertificates } from './helpers/make-certs';

describe('Service scraped by a real Prometheus over TLS with basic auth', () => {
  const registry = new Registry();
  let runtime: DefaultMetrics;
  let service: Service;
  let prometheus: PrometheusHandle;

  beforeAll(async () => {
    const certs = makeCertificates();
    new Counter('orders_total', 'Orders.', { registry, labelNames: ['shop'] as const }).inc(
      { shop: 'north' },
      12,
    );
    runtime = collectDefaultMetrics({ registry });
    service = new Service({
      registry,
      auth: { username: 'scraper', password: 'hunter2' },
      tls: { key: certs.serverKey, cert: certs.serverCert },
    });
    await service.start({ host: '127.0.0.1' });
    prometheus = await startPrometheus({
      targets: [`127.0.0.1:${service.port}`],
      scheme: 'https',
      tlsInsecure: true,
      basicAuth: { username: 'scraper', password: 'hunter2' },
    });
  });
  afterAll(async () => {
    await prometheus?.stop();
    await service?.stop();
    runtime?.stop();
  });

  it('is scraped without error and the values read back', async () => {
    const [orders] = await prometheus.waitFor('orders_total{shop="north"}');
    expect(sampleValue(orders!)).toBe(12);
    const [up] = await prometheus.query('up');
    expect(sampleValue(up!)).toBe(1);
    const [target] = await prometheus.targets();
    expect(target?.lastError).toBe('');
  });

  it('stores the runtime metrics under prom-client names', async () => {
    const [version] = await prometheus.waitFor('nodejs_version_info');
    expect(version?.metric.version).toBe(process.version);
    const [rss] = await prometheus.waitFor('process_resident_memory_bytes');
    expect(sampleValue(rss!)).toBeGreaterThan(0);
    const [cpu] = await prometheus.waitFor('process_cpu_seconds_total');
    expect(sampleValue(cpu!)).toBeGreaterThan(0);
    // Prometheus negotiated OpenMetrics, which names a counter family without `_total`.
    const metadata = await prometheus.metadata();
    expect(metadata.process_cpu_seconds?.[0]?.type).toBe('counter');
    expect(metadata.nodejs_heap_size_used_bytes?.[0]?.type).toBe('gauge');
  });
});
