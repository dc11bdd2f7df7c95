import { Counter, Gauge, Histogram, Registry } from '@promkit/core';

/** The remote-write benchmarks' registry: 5 000 counters, 4 500 gauges, 50 histograms. */
export function remoteWriteRegistry() {
  const r = new Registry();
  const requests = new Counter('bench_requests_total', 'Requests.', {
    labelNames: ['route', 'status'],
    registry: r,
  });
  const sizes = new Gauge('bench_queue_size', 'Queue size.', {
    labelNames: ['queue'],
    registry: r,
  });
  const latency = new Histogram('bench_latency_seconds', 'Latency.', {
    labelNames: ['route'],
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5],
    registry: r,
  });
  // 5 000 counter series + 4 500 gauges + 50 histograms × (7 buckets + sum + count) = 9 950.
  for (let i = 0; i < 5000; i++)
    requests.inc({ route: `/api/v1/items/${i}`, status: `${200 + (i % 5)}` }, i);
  for (let i = 0; i < 4500; i++) sizes.set({ queue: `queue-${i}` }, i * 1.5);
  for (let i = 0; i < 50; i++)
    for (let j = 0; j < 20; j++) latency.observe({ route: `/r/${i}` }, j / 10);
  return r;
}
