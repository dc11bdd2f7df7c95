// The root demo (npm run demo): starts the Fastify example on 127.0.0.1, sends it ~50
// requests, prints the metrics URL and a sample of the page, and serves until Ctrl-C.
// PORT picks the port (default 3000); when it is taken, a free one is used instead.
import { createApp } from '@promkit/example-fastify';

const HOST = '127.0.0.1';
const wanted = Number(process.env.PORT ?? 3000);

const app = await createApp();
const port = await listen(app, wanted);
const base = `http://${HOST}:${port}`;
console.log(`Fastify example app on ${base}`);

const traffic = [
  ...Array.from({ length: 20 }, (_, i) => `/users/${(i % 3) + 1}`), // 1, 2 found; 3 is a 404 from the route
  ...Array.from({ length: 12 }, (_, i) => `/api/v1/items/${100 + i}?expand=price`),
  ...['/nope', '/wp-login.php', '/.env', '/admin/config.php', '/x/y/z', '/users'], // unmatched
  ...Array.from({ length: 5 }, () => '/boom'),
  ...Array.from({ length: 4 }, () => '/slow'),
  '/',
  '/favicon.ico', // excluded, not counted
  '/metrics', // the metrics route itself, not counted
];
const statuses = new Map();
await Promise.all(
  traffic.map(async (path) => {
    const response = await fetch(`${base}${path}`);
    await response.arrayBuffer();
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }),
);
const summary = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${n}×${s}`);
console.log(`Sent ${traffic.length} requests: ${summary.join(', ')}`);

const page = await (await fetch(`${base}/metrics`)).text();
const lines = page.split('\n');
const sample = [
  'http_requests_total{',
  'http_exceptions_total{',
  'http_requests_by_status_total{',
].flatMap((prefix) => lines.filter((line) => line.startsWith(prefix)).sort());
console.log(`\nMetrics: ${base}/metrics\n`);
console.log(sample.map((line) => `  ${line}`).join('\n'));
console.log(`  … and http_request_duration_seconds, http_requests_in_flight: curl ${base}/metrics`);
console.log('\nServing until Ctrl-C (SIGINT) or SIGTERM.');

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: closing`);
    await app.close();
    process.exit(0);
  });
}

/** Listens on `port`, or on a free port when that one is taken. */
async function listen(server, port) {
  try {
    await server.listen({ host: HOST, port });
  } catch (error) {
    if (error?.code !== 'EADDRINUSE') throw error;
    console.log(`Port ${port} is busy; using a free port instead.`);
    await server.listen({ host: HOST, port: 0 });
  }
  return server.server.address().port;
}
