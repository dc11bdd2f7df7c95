// Cluster workers share one port; every worker records into Redis, so whichever worker
// answers GET /metrics serves the totals of all of them.
//
//   pnpm start                   workers on :8080, a redis-server of its own unless REDIS_URL is set
//   pnpm start -- --once         send 60 requests, scrape /metrics 6 times, check the totals, stop
//   REDIS_URL=redis://127.0.0.1:6379 WORKERS=4 PORT=0 pnpm start
import { spawn } from 'node:child_process';
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { Counter, Gauge, Histogram, render } from '@promkit/core';
import { createRedisRegistry, StoreUnavailableError } from '@promkit/redis';
import { Redis } from 'ioredis';

if (cluster.isPrimary) await primary();
else await worker();

async function primary() {
  const once = process.argv.includes('--once');
  const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL } : await startRedis();
  const workerCount = Number(process.env.WORKERS ?? 3);
  const port = Number(process.env.PORT ?? (once ? 0 : 8080));
  const listening = [];
  for (let i = 0; i < workerCount; i++) {
    const forked = cluster.fork({ REDIS_URL: redis.url, PORT: String(port) });
    listening.push(
      new Promise((resolve) => forked.once('listening', (address) => resolve(address.port))),
    );
  }
  const [actualPort] = await Promise.all(listening);
  const base = `http://127.0.0.1:${actualPort}`;
  console.log(
    `${workerCount} workers on ${base}/ (metrics at ${base}/metrics), Redis ${redis.url}`,
  );

  const shutdown = async () => {
    await Promise.all(
      Object.values(cluster.workers ?? {}).map(
        (w) =>
          new Promise((resolve) => {
            w.once('exit', resolve);
            w.send('shutdown');
          }),
      ),
    );
    redis.stop?.();
  };
  process.once('SIGINT', () => shutdown().then(() => process.exit(0)));
  process.once('SIGTERM', () => shutdown().then(() => process.exit(0)));
  if (!once) return;

  const requests = 60;
  for (let i = 0; i < requests; i++) {
    await fetch(`${base}/work?ms=${i % 5}`, { headers: { Connection: 'close' } });
  }
  // A worker's changes reach Redis within one flush interval (100 ms); a scrape flushes
  // the answering worker first, the others' last requests need that long to arrive.
  await new Promise((r) => setTimeout(r, 300));
  // New connections land on different workers; every one must serve the same totals.
  const answers = new Set();
  let ok = true;
  for (let i = 0; i < 6; i++) {
    const response = await fetch(`${base}/metrics`, { headers: { Connection: 'close' } });
    const page = await response.text();
    const worker = response.headers.get('x-worker');
    const total = Number(/^app_requests_total\{route="\/work"\} (\S+)$/m.exec(page)?.[1]);
    const count = Number(
      /^app_request_duration_seconds_count\{route="\/work"\} (\S+)$/m.exec(page)?.[1],
    );
    answers.add(worker);
    console.log(`worker ${worker}: app_requests_total=${total} duration_count=${count}`);
    if (total !== requests || count !== requests) ok = false;
  }
  console.log(
    `${answers.size} different workers answered; totals ${ok ? 'match' : 'DO NOT match'} the ${requests} requests`,
  );
  await shutdown();
  process.exit(ok ? 0 : 1);
}

async function worker() {
  const id = cluster.worker.id;
  const registry = createRedisRegistry({
    redis: process.env.REDIS_URL,
    prefix: 'example',
    processId: `worker-${id}`,
    // In-flight requests: the sum over live workers. Heap: one series per worker.
    gaugeModes: { app_in_flight_requests: 'livesum', app_heap_used_bytes: 'all' },
  });
  const requests = new Counter('app_requests_total', 'Requests served.', {
    registry,
    labelNames: ['route'],
  });
  const duration = new Histogram('app_request_duration_seconds', 'Request duration.', {
    registry,
    labelNames: ['route'],
    buckets: [0.001, 0.005, 0.01, 0.05],
  });
  const inFlight = new Gauge('app_in_flight_requests', 'Requests being served.', {
    registry,
    labelNames: [],
  });
  const heap = new Gauge('app_heap_used_bytes', 'V8 heap used.', { registry, labelNames: [] });

  const server = createServer(async (req, res) => {
    res.setHeader('X-Worker', String(id));
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/metrics') {
      try {
        heap.set(process.memoryUsage().heapUsed);
        const { body, contentType } = await render(registry, req.headers.accept);
        res.writeHead(200, { 'Content-Type': contentType }).end(body);
      } catch (error) {
        // Redis is unreachable: say so rather than serve this worker's partial view.
        const status = error instanceof StoreUnavailableError ? 503 : 500;
        res.writeHead(status, { 'Content-Type': 'text/plain' }).end(`${error.message}\n`);
      }
      return;
    }
    const end = duration.startTimer({ route: url.pathname });
    await inFlight.track(
      undefined,
      () => new Promise((r) => setTimeout(r, Number(url.searchParams.get('ms') ?? 0))),
    );
    requests.inc({ route: url.pathname });
    end();
    res.end(`served by worker ${id}\n`);
  });
  server.listen(Number(process.env.PORT ?? 8080), '127.0.0.1');

  process.on('message', async (message) => {
    if (message !== 'shutdown') return;
    server.close();
    // Flushes what is left and removes this worker's gauges from Redis at once.
    await registry.close().catch((error) => console.error(error.message));
    process.exit(0);
  });
}

/** A throwaway redis-server on a free loopback port, for running the example alone. */
async function startRedis() {
  const port = await new Promise((resolve) => {
    const probe = createTcpServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  const failed = new Promise((_, reject) =>
    child.once('error', (error) =>
      reject(new Error(`cannot start redis-server (set REDIS_URL instead): ${error.message}`)),
    ),
  );
  const client = new Redis(port, '127.0.0.1', { retryStrategy: () => 20 });
  client.on('error', () => {});
  await Promise.race([client.ping(), failed]);
  client.disconnect();
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}
