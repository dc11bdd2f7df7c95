// One library, one process: fills SERIES counter series, then scrapes a few times while
// a 1 ms tick probe (and perf_hooks' event-loop delay histogram) measures the longest
// stretch the event loop was blocked, and an HTTP server on the same loop is pinged.
// Prints one JSON line. Usage: node child.mjs <promkit|prom-client|@prometheus-io/client> <series> [text|openmetrics|protobuf]
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const [library, seriesArg, format = 'text'] = process.argv.slice(2);
const SERIES = Number(seriesArg);
const SCRAPES = 5;
const ACCEPT = {
  text: 'text/plain;version=0.0.4',
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  protobuf:
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
}[format];

async function setup() {
  if (library === 'promkit') {
    const { Counter, Registry, render } = await import('@promkit/core');
    const registry = new Registry();
    const counter = new Counter('stall_events_total', 'Events.', {
      labelNames: ['route', 'id'],
      registry,
      maxSeries: SERIES + 1,
    });
    for (let i = 0; i < SERIES; i++) counter.inc({ route: `/r${i % 100}`, id: `${i}` });
    return async () => (await render(registry, ACCEPT)).body.length;
  }
  const lib = await import(library);
  const { Counter, Registry } = lib.default ?? lib;
  const registry = new Registry();
  const counter = new Counter({
    name: 'stall_events_total',
    help: 'Events.',
    labelNames: ['route', 'id'],
    registers: [registry],
  });
  for (let i = 0; i < SERIES; i++) counter.inc({ route: `/r${i % 100}`, id: `${i}` });
  if (format !== 'text') throw new Error(`${library}: only the text format is compared`);
  return async () => (await registry.metrics()).length;
}

const scrape = await setup();
const server = createServer((_req, res) => res.end('pong'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

const results = [];
for (let s = 0; s < SCRAPES; s++) {
  let last = performance.now();
  let longestTick = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    longestTick = Math.max(longestTick, now - last);
    last = now;
  }, 1);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let pongs = 0;
  let pinging = true;
  const ping = async () => {
    while (pinging) {
      await (await fetch(url)).text();
      pongs++;
    }
  };
  const pinger = ping();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  const bytes = await scrape();
  const scrapeMs = performance.now() - started;
  longestTick = Math.max(longestTick, performance.now() - last);
  pinging = false;
  await pinger;
  delay.disable();
  clearInterval(probe);
  results.push({
    scrapeMs,
    longestStallMs: longestTick,
    maxDelayMs: delay.max / 1e6,
    pongs,
    bytes,
  });
}
server.close();
const rssMB = process.memoryUsage().rss / 1e6;
console.log(JSON.stringify({ library, series: SERIES, format, results, rssMB }));
