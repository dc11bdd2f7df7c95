import {
  LABELLED_SERIES,
  methods,
  OBSERVATION_MASK,
  OBSERVATIONS,
  pools,
  routes,
  SCRAPE_BUCKETS,
  SCRAPE_SHAPES,
  SUMMARY_QUANTILES,
  SUMMARY_SERIES,
  scrapeLabels,
  shards,
  statuses,
  summaryRoutes,
  UNLABELLED_COUNTERS,
} from './fixtures.mjs';

/**
 * prom-client side of every micro case. The module is imported once per library with
 * `?lib=<package>` (prom-client, @prometheus-io/client, @platformatic/prom-client,
 * @promkit/prom-client: same API), which gives each
 * library its own module instance, so V8 never shares call-site feedback between them.
 */
const libName = new URL(import.meta.url).searchParams.get('lib') ?? 'prom-client';
const lib = await import(libName);
const { Counter, Gauge, Histogram, Registry, Summary } = lib.default ?? lib;

const pageOf = (registry) => () => registry.metrics();

const setups = {
  'counter-inc'() {
    const registry = new Registry();
    const counters = Array.from(
      { length: UNLABELLED_COUNTERS },
      (_, m) =>
        new Counter({ name: `bench_events_${m}_total`, help: 'Events.', registers: [registry] }),
    );
    let i = 0;
    return {
      run: () => {
        const k = i;
        i = k === UNLABELLED_COUNTERS - 1 ? 0 : k + 1;
        counters[k].inc();
      },
      page: pageOf(registry),
    };
  },

  'counter-inc-labels'() {
    const registry = new Registry();
    const counter = new Counter({
      name: 'bench_requests_total',
      help: 'Requests.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    let i = 0;
    return {
      run: () => {
        const k = i;
        i = k === LABELLED_SERIES - 1 ? 0 : k + 1;
        counter.inc({ method: methods[k], route: routes[k], status: statuses[k] });
      },
      page: pageOf(registry),
    };
  },

  'child-inc'() {
    const registry = new Registry();
    const counter = new Counter({
      name: 'bench_requests_total',
      help: 'Requests.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    // One bound child per series, cycled: each call updates a different object, as in an
    // app, so the JIT cannot merge consecutive increments of one field.
    const children = methods.map((method, k) =>
      counter.labels({ method, route: routes[k], status: statuses[k] }),
    );
    let i = 0;
    return {
      run: () => {
        const k = i;
        i = k === LABELLED_SERIES - 1 ? 0 : k + 1;
        children[k].inc();
      },
      page: pageOf(registry),
    };
  },

  'gauge-set-labels'() {
    const registry = new Registry();
    const gauge = new Gauge({
      name: 'bench_pool_connections',
      help: 'Connections.',
      labelNames: ['pool', 'shard'],
      registers: [registry],
    });
    let i = 0;
    return {
      run: () => {
        const k = i;
        i = k === LABELLED_SERIES - 1 ? 0 : k + 1;
        gauge.set({ pool: pools[k], shard: shards[k] }, k);
      },
      page: pageOf(registry),
    };
  },

  'histogram-observe-labels'() {
    const registry = new Registry();
    const histogram = new Histogram({
      name: 'bench_request_duration_seconds',
      help: 'Latency.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    let i = 0;
    let j = 0;
    return {
      run: () => {
        const k = i;
        i = k === LABELLED_SERIES - 1 ? 0 : k + 1;
        j = (j + 1) & OBSERVATION_MASK;
        histogram.observe(
          { method: methods[k], route: routes[k], status: statuses[k] },
          OBSERVATIONS[j],
        );
      },
      page: pageOf(registry),
    };
  },

  'summary-observe-labels'() {
    const registry = new Registry();
    const summary = new Summary({
      name: 'bench_response_size_bytes',
      help: 'Sizes.',
      labelNames: ['route'],
      percentiles: SUMMARY_QUANTILES,
      registers: [registry],
    });
    let i = 0;
    let j = 0;
    return {
      run: () => {
        const k = i;
        i = k === SUMMARY_SERIES - 1 ? 0 : k + 1;
        j = (j + 1) & OBSERVATION_MASK;
        summary.observe({ route: summaryRoutes[k] }, OBSERVATIONS[j]);
      },
      page: pageOf(registry),
    };
  },

  'scrape-counter-10k-text'() {
    const registry = counterRegistry(SCRAPE_SHAPES.counter10k);
    return { run: () => registry.metrics(), page: pageOf(registry) };
  },
  'scrape-counter-100k-text'() {
    const registry = counterRegistry(SCRAPE_SHAPES.counter100k);
    return { run: () => registry.metrics(), page: pageOf(registry) };
  },
  'scrape-histogram-1k-text'() {
    const registry = histogramRegistry(SCRAPE_SHAPES.histogram1k);
    return { run: () => registry.metrics(), page: pageOf(registry) };
  },
  'scrape-100x100-text'() {
    const registry = counterRegistry(SCRAPE_SHAPES.many100x100);
    return { run: () => registry.metrics(), page: pageOf(registry) };
  },
};

function counterRegistry({ metrics, series }) {
  const registry = new Registry();
  for (let m = 0; m < metrics; m++) {
    const counter = new Counter({
      name: `bench_scrape_${m}_total`,
      help: 'Scrape benchmark counter.',
      labelNames: ['path', 'code'],
      registers: [registry],
    });
    for (let k = 0; k < series; k++) counter.inc(scrapeLabels(k), k + 1);
  }
  return registry;
}

function histogramRegistry({ series }) {
  const registry = new Registry();
  const histogram = new Histogram({
    name: 'bench_scrape_duration_seconds',
    help: 'Scrape benchmark histogram.',
    labelNames: ['path', 'code'],
    buckets: SCRAPE_BUCKETS,
    registers: [registry],
  });
  for (let k = 0; k < series; k++) {
    const labels = scrapeLabels(k);
    for (let n = 0; n < 20; n++)
      histogram.observe(labels, OBSERVATIONS[(k * 20 + n) & OBSERVATION_MASK]);
  }
  return registry;
}

export function setup(id) {
  const make = setups[id];
  return make === undefined ? undefined : make();
}
