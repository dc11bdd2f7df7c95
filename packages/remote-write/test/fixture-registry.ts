import { Counter, Gauge, Histogram, Registry, Summary } from '@promkit/core';

/** One of each kind, with values the tests read back. */
export function recordedRegistry(): Registry {
  const registry = new Registry();
  const requests = new Counter('rw_requests_total', 'Requests handled.', {
    labelNames: ['route'] as const,
    registry,
  });
  requests.inc({ route: '/a' }, 7);
  requests.inc({ route: '/b' }, 2.5);
  new Gauge('rw_temperature_celsius', 'A temperature.', { registry, unit: 'celsius' }).set(-3.25);
  const latency = new Histogram('rw_latency_seconds', 'Latency.', {
    buckets: [0.1, 1],
    registry,
  });
  for (const v of [0.05, 0.5, 0.5, 3]) latency.observe(v);
  const sizes = new Summary('rw_size_bytes', 'Sizes.', { registry });
  for (let i = 1; i <= 10; i++) sizes.observe(i * 100);
  const native = new Histogram('rw_native_seconds', 'Native only.', {
    native: { schema: 3 },
    registry,
  });
  for (const v of [0.001, 0.02, 0.02, 0.3, 4, 0]) native.observe(v);
  return registry;
}
