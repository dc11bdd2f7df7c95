// The long soak (the test suite runs a bounded one: packages/core/test/soak.test.ts).
// Label sets churn under ttlSeconds on a real @promkit/express app over HTTP, with faults
// injected (a throwing labels hook and normalizePath, a throwing and a hanging collector),
// scraped in every format, whole and streamed. Prints heap + ArrayBuffers after a full GC
// every round; exits 1 if anything escaped or memory grew by more than 8 MB after warm-up.
// Usage: node --expose-gc src/soak.mjs [minutes=10]   (pnpm --filter @promkit/bench soak)
import { once } from 'node:events';
import { Registry } from '@promkit/core';
import { metricsHandler, metricsMiddleware } from '@promkit/express';
import express from 'express';

const MINUTES = Number(process.argv[2] ?? 10);
const TTL_SECONDS = 5;
const REQUESTS_PER_ROUND = 400;
const WARM_UP_ROUNDS = 10;
const ACCEPTS = [
  'text/plain;version=0.0.4',
  'application/openmetrics-text;version=1.0.0',
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
];

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const escaped = [];
process.on('uncaughtException', (e) => escaped.push(e));
process.on('unhandledRejection', (e) => escaped.push(e));

let seconds = 0;
const registry = new Registry({ collectTimeoutMs: 100, onCollectError: () => {} });
registry.register({
  name: 'soak_throwing',
  collect: () => {
    throw new Error('collector bug');
  },
});
registry.register({ name: 'soak_hanging', collect: () => new Promise(() => {}) });
let call = 0;
const app = express();
app.use(
  metricsMiddleware({
    registry,
    ttlSeconds: TTL_SECONDS,
    clock: () => seconds,
    extraLabelNames: ['tenant'],
    labels: (req) => {
      if (++call % 97 === 0) throw new Error('labels bug');
      return { tenant: String(req.headers['x-tenant']) };
    },
    normalizePath: () => {
      if (call % 101 === 0) throw new Error('np bug');
      return undefined;
    },
    onError: () => {},
  }),
);
app.get('/users/:id', (req, res) => res.send(`user ${req.params.id}`));
app.get('/metrics', metricsHandler({ registry }));
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${server.address().port}`;

function memory() {
  for (let i = 0; i < 3; i++) globalThis.gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 1e6;
}

const deadline = Date.now() + MINUTES * 60_000;
let baseline;
let worst = 0;
for (let round = 0; Date.now() < deadline; round++) {
  const requests = [];
  for (let i = 0; i < REQUESTS_PER_ROUND; i++) {
    requests.push(
      fetch(`${base}/users/${i}`, { headers: { 'x-tenant': `t${round}-${i % 100}` } }).then((r) =>
        r.text(),
      ),
    );
  }
  await Promise.all(requests);
  seconds += 1;
  await Promise.all(
    ACCEPTS.map((accept) =>
      fetch(`${base}/metrics`, { headers: { accept } }).then((r) => r.arrayBuffer()),
    ),
  );
  const mb = memory();
  if (round === WARM_UP_ROUNDS) baseline = mb;
  if (baseline !== undefined) worst = Math.max(worst, mb - baseline);
  if (round % 10 === 0)
    console.log(
      `round ${round}: ${mb.toFixed(1)} MB (growth since warm-up ${worst.toFixed(1)} MB), escaped ${escaped.length}`,
    );
}
server.close();
console.log(`done: worst growth ${worst.toFixed(1)} MB, escaped ${escaped.length}`);
process.exit(escaped.length === 0 && worst < 8 ? 0 : 1);
