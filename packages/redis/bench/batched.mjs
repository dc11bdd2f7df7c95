// Batched counter increments through @promkit/redis vs one Redis round trip per increment.
// Starts its own redis-server on a free loopback port (or uses REDIS_URL). Build first:
//   pnpm --filter @promkit/redis build && node packages/redis/bench/batched.mjs
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Counter } from '@promkit/core';
import { Redis } from 'ioredis';
import { createRedisRegistry } from '../dist/index.js';

const BATCHED_OPS = 2_000_000;
const ROUND_TRIP_OPS = 20_000;
const PIPELINED_OPS = 200_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, stop: async () => {} };
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const probe = new Redis(url, { retryStrategy: () => 20 });
  probe.on('error', () => {});
  await probe.ping();
  await probe.quit();
  return { url, stop: async () => child.kill('SIGTERM') };
}

const rate = (ops, ms) => Math.round((ops / ms) * 1000);
const fmt = (n) => n.toLocaleString('en-US');

const redis = await startRedis();
try {
  // 1. Batched: inc() touches a local number; the registry flushes deltas every 100 ms
  // (and on the final flush) in one script call. The loop yields every 10 000 increments
  // so the background flush really runs during the measurement.
  const registry = createRedisRegistry({ redis: redis.url, prefix: 'bench', processId: 'bench' });
  const counter = new Counter('bench_ops_total', 'Bench.', { registry, labelNames: ['route'] });
  const child = counter.labels({ route: '/a' });
  await registry.flush();
  const before = Number(
    (await registry.client.info('commandstats')).match(/cmdstat_evalsha:calls=(\d+)/)?.[1] ?? 0,
  );
  let start = performance.now();
  for (let i = 0; i < BATCHED_OPS; i++) {
    if (i % 2 === 0) child.inc();
    else counter.inc({ route: '/b' });
    if (i % 10_000 === 0) await new Promise((r) => setImmediate(r));
  }
  await registry.flush();
  const batchedMs = performance.now() - start;
  const after = Number(
    (await registry.client.info('commandstats')).match(/cmdstat_evalsha:calls=(\d+)/)?.[1] ?? 0,
  );
  const stored = await registry.client.hgetall('bench:m:bench_ops_total');
  const total = Object.values(stored).reduce((a, b) => a + Number(b), 0);
  if (total !== BATCHED_OPS) throw new Error(`batched total ${total} != ${BATCHED_OPS}`);
  await registry.close();

  // 2. One awaited HINCRBYFLOAT per increment (what a naive Redis-backed client does).
  const client = new Redis(redis.url);
  start = performance.now();
  for (let i = 0; i < ROUND_TRIP_OPS; i++) await client.hincrbyfloat('bench:naive', 'x', 1);
  const roundTripMs = performance.now() - start;

  // 3. One HINCRBYFLOAT per increment, not awaited, auto-pipelined by ioredis.
  const piped = new Redis(redis.url, { enableAutoPipelining: true });
  start = performance.now();
  const sends = [];
  for (let i = 0; i < PIPELINED_OPS; i++) sends.push(piped.hincrbyfloat('bench:piped', 'x', 1));
  await Promise.all(sends);
  const pipedMs = performance.now() - start;
  await client.quit();
  await piped.quit();

  console.log(
    `batched inc() + flush:             ${fmt(rate(BATCHED_OPS, batchedMs))} ops/s (${fmt(BATCHED_OPS)} incs, ${after - before} script calls)`,
  );
  console.log(
    `one awaited HINCRBYFLOAT per inc:  ${fmt(rate(ROUND_TRIP_OPS, roundTripMs))} ops/s (${fmt(ROUND_TRIP_OPS)} incs)`,
  );
  console.log(
    `one auto-pipelined command per inc: ${fmt(rate(PIPELINED_OPS, pipedMs))} ops/s (${fmt(PIPELINED_OPS)} incs)`,
  );
  console.log(
    `speed-up vs one round trip per inc: ${Math.round(rate(BATCHED_OPS, batchedMs) / rate(ROUND_TRIP_OPS, roundTripMs))}x`,
  );
} finally {
  await redis.stop();
}
