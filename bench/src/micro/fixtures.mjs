/**
 * Inputs shared by every library, so each case does the same work in each: label
 * values per series, observation values and the series counts of the scrape cases.
 */

export const LABELLED_SERIES = 50;
/** Unlabelled counters cycled by the `Counter.inc()` case. */
export const UNLABELLED_COUNTERS = 10;
export const SUMMARY_SERIES = 10;
export const SUMMARY_QUANTILES = [0.5, 0.9, 0.99];

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUSES = ['200', '201', '404', '500'];

/** Label values of series `k` (3 labels: method, route, status); routes are unique. */
export const methods = Array.from({ length: LABELLED_SERIES }, (_, k) => METHODS[k % 5]);
export const routes = Array.from({ length: LABELLED_SERIES }, (_, k) => `/api/v1/resource${k}`);
export const statuses = Array.from({ length: LABELLED_SERIES }, (_, k) => STATUSES[k % 4]);

/** Label values for the gauge case (2 labels: pool, shard). */
export const pools = Array.from({ length: LABELLED_SERIES }, (_, k) => `pool${k % 5}`);
export const shards = Array.from({ length: LABELLED_SERIES }, (_, k) => `shard${k}`);

/** Label values for the summary case (1 label: route). */
export const summaryRoutes = Array.from({ length: SUMMARY_SERIES }, (_, k) => `/r${k}`);

/** 1024 deterministic observations spread over the default buckets (0 … ~3 s, skewed low). */
export const OBSERVATIONS = (() => {
  const out = new Float64Array(1024);
  let seed = 42;
  for (let i = 0; i < out.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const u = seed / 2 ** 32;
    out[i] = u * u * u * 3;
  }
  return out;
})();
export const OBSERVATION_MASK = OBSERVATIONS.length - 1;

/** Shapes of the scrape cases: metrics × series per metric. */
export const SCRAPE_SHAPES = {
  counter10k: { metrics: 1, series: 10_000 },
  counter100k: { metrics: 1, series: 100_000 },
  histogram1k: { metrics: 1, series: 1_000 },
  many100x100: { metrics: 100, series: 100 },
};

/** The scrape histograms use prom-client's default bounds in every library. */
export const SCRAPE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Label values of series `k` in the scrape cases (2 labels). */
export function scrapeLabels(k) {
  return { path: `/api/v1/items/${k}`, code: STATUSES[k % 4] };
}
