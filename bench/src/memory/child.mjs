/**
 * Measures heap bytes per counter series for one library, in its own process so heaps
 * never mix. Run with --expose-gc: `node --expose-gc child.mjs <library> <series> [shape]`.
 * Shapes (label values `method`, `route`, `status`):
 * - `fresh` (default): `route` is a new string per series (`/api/v1/items/${i}`), method
 *   and status come from 5 and 4 shared values: the figure includes holding one unique
 *   string per series.
 * - `shared`: every value comes from pools made before the baseline (5 methods × 1000
 *   routes × 20 statuses = 100 000 combinations): the figure is the library's own cost
 *   per series.
 * - `summary`: a summary (default quantiles) instead of a counter, label `id` from a pool
 *   made before the baseline, 10 observations per series (held in the series' buffer).
 * - `window-summary`: the same with a sliding window (`maxAgeSeconds: 600`, 5 age
 *   buckets); every observation lands before the first bucket expires (a series younger
 *   than its window).
 * - `histogram`: a histogram instead of a counter, the `shared` shape's labels, the same
 *   11 bounds in every library (`SCRAPE_BUCKETS`), one observation per series.
 * Then scrapes the metric once (`render` / `registry.metrics()`) and measures again: what
 * a library keeps from its first scrape (a cache of label text, say) is part of its cost.
 * Prints one JSON line: { library, series, shape, heapBefore, heapAfter, heapScraped,
 * bytesPerSeries, bytesPerSeriesScraped }. `library` is `promkit`, or a package with
 * prom-client's API (prom-client, its peers, `@promkit/prom-client`).
 */
// The histogram shape's bounds: prom-client's defaults, given to every library (as in
// the scrape cases).
import { SCRAPE_BUCKETS } from '../micro/fixtures.mjs';

const [library, seriesArg, shape = 'fresh'] = process.argv.slice(2);
const series = Number(seriesArg);
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
if (!(series > 0)) throw new Error(`series must be a positive number, got ${seriesArg}`);
const SUMMARY_SHAPES = ['summary', 'window-summary'];
if (!['fresh', 'shared', 'histogram', ...SUMMARY_SHAPES].includes(shape)) {
  throw new Error(`unknown shape ${shape}`);
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUSES = ['200', '201', '404', '500'];
// The pools of the shared shape, as flat strings (a JSON round trip), so no library's
// first hash of a value allocates during the measurement.
const SHARED_ROUTES = JSON.parse(
  JSON.stringify(Array.from({ length: 1000 }, (_, i) => `/api/v1/items/${i}`)),
);
const SHARED_STATUSES = JSON.parse(
  JSON.stringify(Array.from({ length: 20 }, (_, i) => `${200 + i}`)),
);
if ((shape === 'shared' || shape === 'histogram') && series > 5 * 20 * 1000) {
  throw new Error(`the shared shape has 100 000 combinations, asked for ${series}`);
}

/** Series `i`'s labels in the shared shape: every value from the pools. */
function sharedLabels(i) {
  return {
    method: METHODS[i % 5],
    route: SHARED_ROUTES[Math.floor(i / 100)],
    status: SHARED_STATUSES[Math.floor(i / 5) % 20],
  };
}

function settledHeap() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

// Made only for the summary shape: a pool made before the baseline and then unused would
// be freed during the counter shapes' measurement (about 30 B per series, every library).
const SUMMARY_IDS = SUMMARY_SHAPES.includes(shape)
  ? JSON.parse(JSON.stringify(Array.from({ length: series }, (_, i) => `${i}`)))
  : [];

/** The sliding window of the `window-summary` shape, in every library's option names. */
const WINDOW = shape === 'window-summary' ? { maxAgeSeconds: 600, ageBuckets: 5 } : {};

/** A summary with label `id`, as { holder, observe(labels, v), count(), scrape() }. */
async function makeSummary() {
  if (library === 'promkit') {
    const { Summary, Registry } = await import('@promkit/core');
    const registry = new Registry();
    const summary = new Summary('bench_memory_seconds', 'Memory benchmark.', {
      labelNames: ['id'],
      registry,
      maxSeries: Number.POSITIVE_INFINITY,
      ...WINDOW,
    });
    return {
      holder: registry,
      observe: (labels, v) => summary.observe(labels, v),
      count: async () => summary.seriesCount,
      scrape: () => promkitPage(registry),
    };
  }
  const lib = await import(library);
  const { Summary, Registry } = lib.default ?? lib;
  const registry = new Registry();
  const summary = new Summary({
    name: 'bench_memory_seconds',
    help: 'Memory benchmark.',
    labelNames: ['id'],
    registers: [registry],
    ...WINDOW,
  });
  return {
    holder: registry,
    observe: (labels, v) => summary.observe(labels, v),
    // Count and sum lines per series, plus the quantiles.
    count: async () =>
      (await summary.get()).values.filter((v) => v.metricName?.endsWith('_count')).length,
    scrape: () => registry.metrics(),
  };
}

/** A histogram with the shared shape's labels, as { holder, observe(labels, v), count(), scrape() }. */
async function makeHistogram() {
  const labelNames = ['method', 'route', 'status'];
  if (library === 'promkit') {
    const { Histogram, Registry } = await import('@promkit/core');
    const registry = new Registry();
    const histogram = new Histogram('bench_memory_seconds', 'Memory benchmark.', {
      labelNames,
      buckets: SCRAPE_BUCKETS,
      registry,
      maxSeries: Number.POSITIVE_INFINITY,
    });
    return {
      holder: registry,
      observe: (labels, v) => histogram.observe(labels, v),
      count: async () => histogram.seriesCount,
      scrape: () => promkitPage(registry),
    };
  }
  const lib = await import(library);
  const { Histogram, Registry } = lib.default ?? lib;
  const registry = new Registry();
  const histogram = new Histogram({
    name: 'bench_memory_seconds',
    help: 'Memory benchmark.',
    labelNames,
    buckets: SCRAPE_BUCKETS,
    registers: [registry],
  });
  return {
    holder: registry,
    observe: (labels, v) => histogram.observe(labels, v),
    count: async () =>
      (await histogram.get()).values.filter((v) => v.metricName?.endsWith('_count')).length,
    scrape: () => registry.metrics(),
  };
}

/** A fresh counter as { holder, inc(labels), count(), scrape() }. */
async function makeCounter() {
  if (library === 'promkit') {
    const { Counter, Registry } = await import('@promkit/core');
    const registry = new Registry();
    const counter = new Counter('bench_memory_total', 'Memory benchmark.', {
      labelNames: ['method', 'route', 'status'],
      registry,
      maxSeries: Number.POSITIVE_INFINITY,
    });
    return {
      holder: registry,
      inc: (labels) => counter.inc(labels),
      count: async () => counter.seriesCount,
      scrape: () => promkitPage(registry),
    };
  }
  const lib = await import(library);
  const { Counter, Registry } = lib.default ?? lib;
  const registry = new Registry();
  const counter = new Counter({
    name: 'bench_memory_total',
    help: 'Memory benchmark.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  return {
    holder: registry,
    inc: (labels) => counter.inc(labels),
    count: async () => (await counter.get()).values.length,
    scrape: () => registry.metrics(),
  };
}

/** promkit's text page of `registry`. */
async function promkitPage(registry) {
  const { render } = await import('@promkit/core');
  return (await render(registry)).body;
}

const counter = SUMMARY_SHAPES.includes(shape)
  ? await makeSummary()
  : shape === 'histogram'
    ? await makeHistogram()
    : await makeCounter();
// Warm the code paths on a throwaway metric-free loop is not possible without series, so
// the baseline is taken with the counter created and empty.
const heapBefore = settledHeap();
if (SUMMARY_SHAPES.includes(shape)) {
  for (let i = 0; i < series; i++) {
    for (let k = 0; k < 10; k++) counter.observe({ id: SUMMARY_IDS[i] }, (i * 31 + k * 7) % 100);
  }
} else if (shape === 'histogram') {
  for (let i = 0; i < series; i++) {
    counter.observe(sharedLabels(i), (i % 100) / 50);
  }
} else if (shape === 'fresh') {
  for (let i = 0; i < series; i++) {
    // Fresh strings per series: what stays alive afterwards is what the library keeps.
    counter.inc({ method: METHODS[i % 5], route: `/api/v1/items/${i}`, status: STATUSES[i % 4] });
  }
} else {
  for (let i = 0; i < series; i++) counter.inc(sharedLabels(i));
}
const heapAfter = settledHeap();
const counted = await counter.count();
if (counted !== series) throw new Error(`${library}: expected ${series} series, found ${counted}`);
let page = await counter.scrape();
if (typeof page !== 'string' || page.length < series) {
  throw new Error(`${library}: the scrape gave no page for ${series} series`);
}
page = undefined;
// Out of the continuation that holds the page (a settled promise's job keeps its value).
await new Promise((resolve) => setTimeout(resolve, 10));
const heapScraped = settledHeap();
process.stdout.write(
  `${JSON.stringify({
    library,
    series,
    shape,
    heapBefore,
    heapAfter,
    heapScraped,
    bytesPerSeries: (heapAfter - heapBefore) / series,
    bytesPerSeriesScraped: (heapScraped - heapBefore) / series,
  })}\n`,
);
// Keep the counter reachable until the measurement is printed.
if (counter.holder === undefined) process.exitCode = 1;
