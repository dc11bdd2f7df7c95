/**
 * The loops `ab-core.mjs` times, for one build of @promkit/core: imported once per build
 * (`importPerSide` in `ab-rounds.mjs`), so each build runs its own copy of them.
 */
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const ROUTES = Array.from({ length: 1000 }, (_, i) => `/api/v1/items/${i}`);
const STATUSES = Array.from({ length: 20 }, (_, i) => `${200 + i}`);
/** `UNIQUE_ROUTES`: one route per series (a label with 100k values), shared by both builds. */
export function cases(lib, UNIQUE_ROUTES) {
  const { Counter, Gauge, Histogram, Registry } = lib;
  const small = new Counter('a_total', 'A.', {
    labelNames: ['method', 'route', 'status'],
    registry: new Registry(),
  });
  const gauge = new Gauge('g', 'G.', { labelNames: ['method', 'route'], registry: new Registry() });
  // Each case's metric has label names of its own: metrics declaring the same names share
  // one compiled finder, and one with 100 000 values (or wider ids) slows the others' calls
  // through it (2.2× for `inc 3 labels, 50 series` beside a 100k-value label, main's core).
  const big = new Counter('b_total', 'B.', {
    labelNames: ['method', 'path', 'status'],
    registry: new Registry(),
    maxSeries: Infinity,
  });
  for (let i = 0; i < 100000; i++)
    big.inc({
      method: METHODS[i % 5],
      path: ROUTES[Math.floor(i / 100)],
      status: STATUSES[Math.floor(i / 5) % 20],
    });
  const unique = new Counter('u_total', 'U.', {
    labelNames: ['method', 'item', 'status'],
    registry: new Registry(),
    maxSeries: Infinity,
  });
  for (let i = 0; i < 100000; i++)
    unique.inc({ method: METHODS[i % 5], item: UNIQUE_ROUTES[i], status: STATUSES[i % 4] });
  /** A new counter with `labelNames` given 100 000 series, series `i`'s labels `labelsOf(i)`. */
  const insert100k = (labelNames, labelsOf) => {
    const c = new Counter('c_total', 'C.', {
      labelNames,
      registry: null,
      maxSeries: Infinity,
    });
    for (let i = 0; i < 100000; i++) c.inc(labelsOf(i));
  };
  const histogram = new Histogram('h_seconds', 'H.', {
    labelNames: ['method', 'handler', 'status'],
    registry: new Registry(),
  });
  const boundCounters = Array.from({ length: 50 }, (_, i) =>
    small.labels({ method: METHODS[i % 5], route: ROUTES[i], status: STATUSES[i % 4] }),
  );
  const boundHistograms = Array.from({ length: 50 }, (_, i) =>
    histogram.labels({ method: METHODS[i % 5], handler: ROUTES[i], status: STATUSES[i % 4] }),
  );
  let k = 0,
    j = 0,
    u = 0;
  return {
    'inc 3 labels, 50 series': (n) => {
      for (let r = 0; r < n; r++) {
        const i = k;
        k = i === 49 ? 0 : i + 1;
        small.inc({ method: METHODS[i % 5], route: ROUTES[i], status: STATUSES[i % 4] });
      }
    },
    'gauge.set 2 labels, 50 series': (n) => {
      for (let r = 0; r < n; r++) {
        const i = k;
        k = i === 49 ? 0 : i + 1;
        gauge.set({ method: METHODS[i % 5], route: ROUTES[i] }, r);
      }
    },
    'histogram.observe 3 labels, 50 series': (n) => {
      for (let r = 0; r < n; r++) {
        const i = k;
        k = i === 49 ? 0 : i + 1;
        histogram.observe(
          { method: METHODS[i % 5], handler: ROUTES[i], status: STATUSES[i % 4] },
          (r % 1000) / 100,
        );
      }
    },
    'bound counter child inc, 50 series': (n) => {
      for (let r = 0; r < n; r++) {
        const i = k;
        k = i === 49 ? 0 : i + 1;
        boundCounters[i].inc();
      }
    },
    'bound histogram child observe, 50 series': (n) => {
      for (let r = 0; r < n; r++) {
        const i = k;
        k = i === 49 ? 0 : i + 1;
        boundHistograms[i].observe((r % 1000) / 100);
      }
    },
    'inc 3 labels, 100k series (hits)': (n) => {
      for (let r = 0; r < n; r++) {
        const i = j;
        j = i === 99999 ? 0 : i + 7919 > 99999 ? i + 7919 - 100000 : i + 7919;
        big.inc({
          method: METHODS[i % 5],
          path: ROUTES[Math.floor(i / 100)],
          status: STATUSES[Math.floor(i / 5) % 20],
        });
      }
    },
    'inc 3 labels, 100k unique routes (hits)': (n) => {
      for (let r = 0; r < n; r++) {
        const i = u;
        u = i + 7919 > 99999 ? i + 7919 - 100000 : i + 7919;
        unique.inc({ method: METHODS[i % 5], item: UNIQUE_ROUTES[i], status: STATUSES[i % 4] });
      }
    },
    'insert 100k unique routes (new counter each)': () =>
      insert100k(['method', 'item', 'code'], (i) => ({
        method: METHODS[i % 5],
        item: UNIQUE_ROUTES[i],
        code: STATUSES[i % 4],
      })),
    'insert 100k series (new counter each)': () =>
      insert100k(['method', 'path', 'code'], (i) => ({
        method: METHODS[i % 5],
        path: ROUTES[Math.floor(i / 100)],
        code: STATUSES[Math.floor(i / 5) % 20],
      })),
  };
}
