// Remote-write cost for a 10 000-series registry: collect, encode (prometheus.WriteRequest)
// and Snappy-compress, each timed separately in process CPU time (steadier than wall time
// on a shared machine). `pnpm --filter @promkit/bench remote-write`.
import { Counter, Gauge, Histogram, Registry } from '@promkit/core';
import { encodeWriteRequest, snappyCompress, toTimeSeries } from '@promkit/remote-write';
import { median } from './stats.mjs';

const RUNS = Number(process.env.RUNS ?? 30);

function registry() {
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

/** Milliseconds of CPU time (user + system) this process has used. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

const r = registry();
const timings = { collect: [], encode: [], compress: [] };
let series = 0;
let raw = 0;
let compressed = 0;
for (let run = 0; run < RUNS; run++) {
  let t = cpuMs();
  const families = await r.collect();
  timings.collect.push(cpuMs() - t);
  t = cpuMs();
  const ts = toTimeSeries(families, { job: 'bench', instance: 'a' });
  const body = encodeWriteRequest(ts.series, ts.metadata, Date.now());
  timings.encode.push(cpuMs() - t);
  t = cpuMs();
  const snappy = snappyCompress(body);
  timings.compress.push(cpuMs() - t);
  series = ts.series.length;
  raw = body.length;
  compressed = snappy.length;
}
console.log(
  `remote write, ${series} series, median CPU time of ${RUNS} runs (Node ${process.versions.node})`,
);
for (const [step, values] of Object.entries(timings)) {
  console.log(`  ${step.padEnd(9)} ${median(values).toFixed(2)} ms`);
}
console.log(
  `  WriteRequest ${(raw / 1024).toFixed(0)} KiB, snappy ${(compressed / 1024).toFixed(0)} KiB`,
);
