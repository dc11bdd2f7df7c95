// One library, one process: fills SERIES counter series, then scrapes a few times while
// a 1 ms tick probe (and perf_hooks' event-loop delay histogram) measures the longest
// stretch the event loop was blocked, and an HTTP server on the same loop is pinged.
// `via`: `render` calls the library's render function (prom-client: registry.metrics());
// `http` (promkit only) is a real scrape: GET /metrics with `Accept-Encoding: gzip`
// through core's one metrics responder on a node:http server, as every adapter serves it.
// Prints one JSON line.
// `kind`: `counter` (default) or `summary` (each series holds 10 buffered observations and
// the default 3 quantiles, so a scrape also computes every series' quantiles).
// Usage: node child.mjs <promkit|prom-client|@prometheus-io/client> <series> [text|openmetrics|protobuf] [render|http] [gzip|identity] [counter|summary]
import { createServer, get } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Readable } from 'node:stream';

const [library, seriesArg, format = 'text', via = 'render', encoding = 'gzip', kind = 'counter'] =
  process.argv.slice(2);
const SERIES = Number(seriesArg);
const SCRAPES = 5;
let pageSize = async () => undefined;
const ACCEPT = {
  text: 'text/plain;version=0.0.4',
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  protobuf:
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
}[format];

async function setup() {
  if (library === 'promkit') {
    const { Counter, Registry, Summary, render } = await import('@promkit/core');
    const registry = new Registry();
    if (kind === 'summary') {
      const summary = new Summary('stall_work_seconds', 'Work.', {
        labelNames: ['route', 'id'],
        registry,
        maxSeries: SERIES + 1,
      });
      fill((labels, v) => summary.observe(labels, v));
    } else {
      const counter = new Counter('stall_events_total', 'Events.', {
        labelNames: ['route', 'id'],
        registry,
        maxSeries: SERIES + 1,
      });
      fill((labels) => counter.inc(labels));
    }
    // After the measured scrapes: the page's size unpacked (what a scrape that held it whole
    // would hold).
    pageSize = async () => (await render(registry, ACCEPT)).body.length;
    if (via === 'http') return httpScrape(registry);
    return async () => (await render(registry, ACCEPT)).body.length;
  }
  if (via !== 'render') throw new Error(`${library}: only promkit is scraped over HTTP here`);
  const lib = await import(library);
  const { Counter, Registry, Summary } = lib.default ?? lib;
  const registry = new Registry();
  if (kind === 'summary') {
    const summary = new Summary({
      name: 'stall_work_seconds',
      help: 'Work.',
      labelNames: ['route', 'id'],
      registers: [registry],
    });
    fill((labels, v) => summary.observe(labels, v));
  } else {
    const counter = new Counter({
      name: 'stall_events_total',
      help: 'Events.',
      labelNames: ['route', 'id'],
      registers: [registry],
    });
    fill((labels) => counter.inc(labels));
  }
  if (format !== 'text') throw new Error(`${library}: only the text format is compared`);
  return async () => (await registry.metrics()).length;
}

/** Records into SERIES series: once each for counters, 10 observations each for summaries. */
function fill(record) {
  const times = kind === 'summary' ? 10 : 1;
  for (let i = 0; i < SERIES; i++) {
    const labels = { route: `/r${i % 100}`, id: `${i}` };
    for (let k = 0; k < times; k++) record(labels, ((i * 31 + k * 7) % 100) / 1000);
  }
}

/** GET /metrics from a server on this loop; resolves the (gzipped) bytes received. */
async function httpScrape(registry) {
  const { metricsResponder } = await import('@promkit/core/http');
  const respond = metricsResponder({ registry });
  const metrics = createServer((req, res) => {
    respond({
      method: req.method,
      accept: req.headers.accept,
      acceptEncoding: req.headers['accept-encoding'],
    }).then(({ status, headers, body }) => {
      res.writeHead(status, headers);
      if (body instanceof ReadableStream) Readable.fromWeb(body).pipe(res);
      else res.end(body ?? undefined);
    });
  });
  await new Promise((resolve) => metrics.listen(0, '127.0.0.1', resolve));
  const { port } = metrics.address();
  return () =>
    new Promise((resolve, reject) => {
      const headers = {
        accept: ACCEPT,
        'accept-encoding': encoding,
      };
      get({ host: '127.0.0.1', port, path: '/metrics', headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk) => {
          bytes += chunk.length;
        });
        res.on('end', () =>
          res.statusCode === 200 ? resolve(bytes) : reject(new Error(`${res.statusCode}`)),
        );
      }).on('error', reject);
    });
}

const scrape = await setup();
const server = createServer((_req, res) => res.end('pong'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

// fetch() loads its client on first use: warm the pinger so no scrape pays for that.
for (let i = 0; i < 5; i++) await (await fetch(url)).text();

/** JS heap plus ArrayBuffers (typed arrays, Buffers): what the process holds, without V8's reserve. */
function heapBytes() {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

const results = [];
for (let s = 0; s < SCRAPES; s++) {
  let last = performance.now();
  let longestTick = 0;
  // CPU the process used between two ticks: the stall as work done, unaffected by other
  // processes taking the core (on a loaded machine the wall-clock gap includes waiting).
  const cpuNow = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  let lastCpu = cpuNow();
  let longestCpu = 0;
  const rssBefore = process.memoryUsage.rss();
  let rssPeak = rssBefore;
  const heapBefore = heapBytes();
  let heapPeak = heapBefore;
  const probe = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    heapPeak = Math.max(heapPeak, heapBytes());
    const now = performance.now();
    const cpu = cpuNow();
    longestTick = Math.max(longestTick, now - last);
    longestCpu = Math.max(longestCpu, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
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
  longestCpu = Math.max(longestCpu, cpuNow() - lastCpu);
  pinging = false;
  await pinger;
  delay.disable();
  clearInterval(probe);
  results.push({
    scrapeMs,
    longestStallMs: longestTick,
    longestCpuStallMs: longestCpu,
    maxDelayMs: delay.max / 1e6,
    pongs,
    bytes,
    rssBeforeMB: rssBefore / 1e6,
    rssPeakMB: Math.max(rssPeak, process.memoryUsage.rss()) / 1e6,
    heapBeforeMB: heapBefore / 1e6,
    heapPeakMB: Math.max(heapPeak, heapBytes()) / 1e6,
  });
}
server.close();
const rssMB = process.memoryUsage().rss / 1e6;
const pageBytes = await pageSize();
console.log(JSON.stringify({ library, series: SERIES, format, via, results, rssMB, pageBytes }));
// The metrics server (via http) and keep-alive sockets would hold the process open.
process.exit(0);
