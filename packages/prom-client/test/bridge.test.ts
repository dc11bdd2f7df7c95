import { Counter as CoreCounter, encodeProtobuf, Registry, render } from '@promkit/core';
import { decodeProtobuf } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import { bridgePromClient } from '../src/index';
import { real } from './clients';

/** A real prom-client registry with one metric of each type. */
function promClientRegistry() {
  const registry = new real.Registry();
  const requests = new real.Counter({
    name: 'bridged_requests_total',
    help: 'Requests.',
    labelNames: ['code'],
    registers: [registry],
  });
  requests.inc({ code: '200' }, 5);
  requests.inc({ code: '500' });
  const depth = new real.Gauge({ name: 'bridged_depth', help: 'Depth.', registers: [registry] });
  depth.set(-3.5);
  const latency = new real.Histogram({
    name: 'bridged_latency_seconds',
    help: 'Latency.',
    labelNames: ['route'],
    buckets: [0.1, 1],
    registers: [registry],
  });
  latency.observe({ route: '/x' }, 0.05);
  latency.observe({ route: '/x' }, 0.5);
  latency.observe({ route: '/x' }, 3);
  const sizes = new real.Summary({
    name: 'bridged_size_bytes',
    help: 'Sizes.',
    percentiles: [0.5, 0.9],
    registers: [registry],
  });
  sizes.observe(10);
  sizes.observe(20);
  return registry;
}

describe('bridgePromClient: a real prom-client registry on promkit pages', () => {
  it('keeps types, labels, histogram buckets and summary quantiles', async () => {
    const target = new Registry();
    bridgePromClient(promClientRegistry(), { registry: target });
    const families = decodeProtobuf(encodeProtobuf(await target.collect()));
    const byName = new Map(families.map((f) => [f.name, f]));

    expect(byName.get('bridged_requests_total')).toMatchObject({
      type: 'counter',
      help: 'Requests.',
      metrics: [
        { labels: { code: '200' }, value: 5 },
        { labels: { code: '500' }, value: 1 },
      ],
    });
    expect(byName.get('bridged_depth')?.metrics).toEqual([{ labels: {}, value: -3.5 }]);
    const histogram = byName.get('bridged_latency_seconds');
    expect(histogram?.type).toBe('histogram');
    expect(histogram?.metrics[0]?.labels).toEqual({ route: '/x' });
    expect(histogram?.metrics[0]?.histogram).toMatchObject({ count: 3, sum: 3.55 });
    expect(
      histogram?.metrics[0]?.histogram?.buckets.map((b) => [b.upperBound, b.cumulativeCount]),
    ).toEqual([
      [0.1, 1],
      [1, 2],
      [Number.POSITIVE_INFINITY, 3],
    ]);
    expect(byName.get('bridged_size_bytes')?.type).toBe('summary');
    expect(byName.get('bridged_size_bytes')?.metrics[0]?.summary).toEqual({
      count: 2,
      sum: 30,
      quantiles: [
        { quantile: 0.5, value: 15 },
        { quantile: 0.9, value: 20 },
      ],
    });
  });

  it('renders in every negotiated format, text included', async () => {
    const target = new Registry();
    bridgePromClient(promClientRegistry(), { registry: target });
    const { body } = await render(target, 'text/plain');
    expect(body).toContain('bridged_latency_seconds_bucket{route="/x",le="1"} 2');
    expect(body).toContain('bridged_size_bytes{quantile="0.9"} 20');
    const om = await render(target, 'application/openmetrics-text; version=1.0.0');
    expect(om.body).toContain('bridged_requests_total{code="200"} 5');
  });

  it('reports a name a promkit metric already has and leaves it out, never merged', async () => {
    const target = new Registry();
    new CoreCounter('bridged_requests_total', 'Native requests.', { registry: target }).inc(99);
    const reported: string[] = [];
    bridgePromClient(promClientRegistry(), {
      registry: target,
      onDuplicate: (name) => reported.push(name),
    });
    const families = await target.collect();
    const requests = families.filter((f) => f.name === 'bridged_requests_total');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.help).toBe('Native requests.');
    expect(reported).toEqual(['bridged_requests_total']);
    await target.collect();
    expect(reported).toEqual(['bridged_requests_total']);
  });

  it('two bridged registries with one name: the second is reported', async () => {
    const target = new Registry();
    const reported: string[] = [];
    const a = promClientRegistry();
    const b = new real.Registry();
    new real.Gauge({ name: 'bridged_depth', help: 'Other depth.', registers: [b] }).set(1);
    const merged = {
      getMetricsAsJSON: async () => [
        ...(await a.getMetricsAsJSON()),
        ...(await b.getMetricsAsJSON()),
      ],
    };
    bridgePromClient(merged, { registry: target, onDuplicate: (name) => reported.push(name) });
    const depth = (await target.collect()).filter((f) => f.name === 'bridged_depth');
    expect(depth).toHaveLength(1);
    expect(depth[0]?.help).toBe('Depth.');
    expect(reported).toEqual(['bridged_depth']);
  });

  it('close() unregisters it; a non-registry is refused', async () => {
    const target = new Registry();
    const bridge = bridgePromClient(promClientRegistry(), { registry: target });
    bridge.close();
    expect(await target.collect()).toEqual([]);
    expect(() => bridgePromClient({} as never)).toThrow(TypeError);
  });
});
