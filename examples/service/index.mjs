// A standalone metrics server: app metrics plus Node.js runtime metrics on /metrics.
//
//   pnpm start                         serve on http://127.0.0.1:9100/metrics until Ctrl-C
//   pnpm start -- --once               start, scrape itself once, print the page, stop
//   PORT=0 METRICS_TOKEN=s3cret pnpm start   ephemeral port, bearer token required
import { Counter, Gauge, Histogram, Registry } from '@promkit/core';
import { collectDefaultMetrics, Service } from '@promkit/node';

const registry = new Registry();
const jobs = new Counter('example_jobs_total', 'Jobs processed.', {
  registry,
  labelNames: ['queue'],
});
const queueDepth = new Gauge('example_queue_depth', 'Jobs waiting.', { registry });
const jobSeconds = new Histogram('example_job_duration_seconds', 'Job duration.', {
  registry,
  buckets: [0.01, 0.05, 0.1, 0.5],
});
const runtime = collectDefaultMetrics({ registry });

// Pretend to work: a job every 100 ms.
const work = setInterval(() => {
  const queue = Math.random() < 0.7 ? 'mail' : 'billing';
  jobs.inc({ queue });
  jobSeconds.observe(Math.random() * 0.2);
  queueDepth.set(Math.floor(Math.random() * 10));
}, 100);

const token = process.env.METRICS_TOKEN;
const service = new Service({
  registry,
  ...(token ? { auth: { bearer: token } } : {}),
});
await service.start({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 9100),
});
console.log(
  `metrics at ${service.metricsUrl}${token ? ' (send "Authorization: Bearer <METRICS_TOKEN>")' : ''}`,
);

async function shutdown() {
  clearInterval(work);
  await service.stop();
  runtime.stop();
}

if (process.argv.includes('--once')) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const response = await fetch(service.metricsUrl, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const page = await response.text();
  console.log(`${response.status} ${response.headers.get('content-type')}`);
  console.log(
    page
      .split('\n')
      .filter((line) => line.startsWith('example_'))
      .join('\n'),
  );
  await shutdown();
} else {
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void shutdown());
}
