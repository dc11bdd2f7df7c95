import { Counter, Gauge, Histogram, Registry, render, Summary } from '@promkit/core';
import {
  LABELLED_SERIES,
  methods,
  OBSERVATION_MASK,
  OBSERVATIONS,
  pools,
  routes,
  SCRAPE_BUCKETS,
  SCRAPE_SHAPES,
  SUMMARY_SERIES,
  scrapeLabels,
  shards,
  statuses,
  summaryRoutes,
  UNLABELLED_COUNTERS,
} from './fixtures.mjs';

/**
 * promkit side of every micro case: `setup(id)` returns `{ run, page }` where `run` is
 * the measured operation and `page()` renders the case's private registry as text.
 * Each case is its own function literal so V8 feedback is never shared between cases.
 */

const OPENMETRICS_ACCEPT = 'application/openmetrics-text; version=1.0.0';
const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

const pageOf = (registry) => async () => (await render(registry)).body;

const setups = {
  'counter-inc'() {
    // Several counters, cycled, so the JIT cannot merge consecutive increments of one field.
    const registry = new Registry();
    const counters = Array.from(
      { length: UNLABELLED_COUNTERS },
      (_, m) => new Counter(`bench_events_${m}_total`, 'Events.', { registry }),
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
    const counter = new Counter('bench_requests_total', 'Requests.', {
      labelNames: ['method', 'route', 'status'],
      registry,
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
    const counter = new Counter('bench_requests_total', 'Requests.', {
      labelNames: ['method', 'route', 'status'],
      registry,
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
    const gauge = new Gauge('bench_pool_connections', 'Connections.', {
      labelNames: ['pool', 'shard'],
      registry,
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
    const histogram = new Histogram('bench_request_duration_seconds', 'Latency.', {
      labelNames: ['method', 'route', 'status'],
      registry,
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
    const summary = new Summary('bench_response_size_bytes', 'Sizes.', {
      labelNames: ['route'],
      registry,
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
    return { run: () => render(registry), page: pageOf(registry) };
  },
  'scrape-counter-10k-openmetrics'() {
    const registry = counterRegistry(SCRAPE_SHAPES.counter10k);
    return { run: () => render(registry, OPENMETRICS_ACCEPT), page: pageOf(registry) };
  },
  'scrape-counter-10k-protobuf'() {
    const registry = counterRegistry(SCRAPE_SHAPES.counter10k);
    return { run: () => render(registry, PROTOBUF_ACCEPT), page: pageOf(registry) };
  },

  'scrape-counter-100k-text'() {
    const registry = counterRegistry(SCRAPE_SHAPES.counter100k);
    return { run: () => render(registry), page: pageOf(registry) };
  },
  'scrape-counter-100k-openmetrics'() {
    const registry = counterRegistry(SCRAPE_SHAPES.counter100k);
    return { run: () => render(registry, OPENMETRICS_ACCEPT), page: pageOf(registry) };
  },
  'scrape-counter-100k-protobuf'() {
    const registry = counterRegistry(SCRAPE_SHAPES.counter100k);
    return { run: () => render(registry, PROTOBUF_ACCEPT), page: pageOf(registry) };
  },

  'scrape-histogram-1k-text'() {
    const registry = histogramRegistry(SCRAPE_SHAPES.histogram1k);
    return { run: () => render(registry), page: pageOf(registry) };
  },
  'scrape-histogram-1k-openmetrics'() {
    const registry = histogramRegistry(SCRAPE_SHAPES.histogram1k);
    return { run: () => render(registry, OPENMETRICS_ACCEPT), page: pageOf(registry) };
  },
  'scrape-histogram-1k-protobuf'() {
    const registry = histogramRegistry(SCRAPE_SHAPES.histogram1k);
    return { run: () => render(registry, PROTOBUF_ACCEPT), page: pageOf(registry) };
  },

  'scrape-100x100-text'() {
    const registry = counterRegistry(SCRAPE_SHAPES.many100x100);
    return { run: () => render(registry), page: pageOf(registry) };
  },
  'scrape-100x100-openmetrics'() {
    const registry = counterRegistry(SCRAPE_SHAPES.many100x100);
    return { run: () => render(registry, OPENMETRICS_ACCEPT), page: pageOf(registry) };
  },
  'scrape-100x100-protobuf'() {
    const registry = counterRegistry(SCRAPE_SHAPES.many100x100);
    return { run: () => render(registry, PROTOBUF_ACCEPT), page: pageOf(registry) };
  },
};

/** `metrics` counters named bench_scrape_<m>_total, each with `series` incremented series. */
function counterRegistry({ metrics, series }) {
  const registry = new Registry();
  for (let m = 0; m < metrics; m++) {
    const counter = new Counter(`bench_scrape_${m}_total`, 'Scrape benchmark counter.', {
      labelNames: ['path', 'code'],
      registry,
      maxSeries: series,
    });
    for (let k = 0; k < series; k++) counter.inc(scrapeLabels(k), k + 1);
  }
  return registry;
}

/** One default-bucket histogram with `series` series, each fed 20 observations. */
function histogramRegistry({ series }) {
  const registry = new Registry();
  const histogram = new Histogram('bench_scrape_duration_seconds', 'Scrape benchmark histogram.', {
    labelNames: ['path', 'code'],
    buckets: SCRAPE_BUCKETS,
    registry,
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
