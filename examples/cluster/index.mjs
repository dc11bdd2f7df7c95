// A Node cluster: workers serve HTTP on one port and count requests; the primary serves
// a single /metrics page with every worker's metrics merged.
//
//   pnpm start                  app on :8080, metrics on http://127.0.0.1:9100/metrics, Ctrl-C to stop
//   pnpm start -- --once        send 20 requests, print the merged counter, stop
//   WORKERS=4 PORT=0 METRICS_PORT=0 pnpm start -- --once
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { Counter, REGISTRY } from '@promkit/core';
import {
  collectDefaultMetrics,
  createClusterAggregator,
  exposeToCluster,
  Service,
} from '@promkit/node';

if (cluster.isPrimary) {
  const workerCount = Number(process.env.WORKERS ?? 2);
  const port = await appPort();
  const workers = [];
  for (let i = 0; i < workerCount; i++) {
    const worker = cluster.fork({ APP_PORT: String(port) });
    workers.push(new Promise((resolve) => worker.once('listening', resolve)));
  }
  await Promise.all(workers);

  const aggregator = createClusterAggregator({ timeoutMs: 2000 });
  const service = new Service({ registry: aggregator });
  await service.start({ host: '127.0.0.1', port: Number(process.env.METRICS_PORT ?? 9100) });
  console.log(`app on http://127.0.0.1:${port}/, merged metrics at ${service.metricsUrl}`);

  const shutdown = async () => {
    await service.stop();
    aggregator.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
  };

  if (process.argv.includes('--once')) {
    for (let i = 0; i < 20; i++) {
      await fetch(`http://127.0.0.1:${port}/`, { headers: { Connection: 'close' } });
    }
    const page = await (await fetch(service.metricsUrl)).text();
    console.log(
      page
        .split('\n')
        .filter((l) => l.startsWith('example_') || l.startsWith('promkit_'))
        .join('\n'),
    );
    await shutdown();
  } else {
    for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void shutdown());
  }
} else {
  // Each worker: its own metrics in REGISTRY, answered to the primary on request.
  const requests = new Counter('example_http_requests_total', 'Requests served.');
  collectDefaultMetrics();
  exposeToCluster(REGISTRY);
  createServer((_req, res) => {
    requests.inc(); // summed across workers by the primary

    res.end(`hello from worker ${cluster.worker.id}\n`);
  }).listen(Number(process.env.APP_PORT), '127.0.0.1');
}

/** APP_PORT from PORT, or a free one when PORT=0 (workers must share one fixed port). */
async function appPort() {
  const wanted = Number(process.env.PORT ?? 8080);
  if (wanted !== 0) return wanted;
  const { createServer: createNetServer } = await import('node:net');
  return new Promise((resolve) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
