// The scrape shapes the A/B scripts render, built on whichever build of @promkit/core they get.

const STATUSES = ['200', '404', '500', '503'];
/**
 * [kind, metrics, series each, renders per round]: the bench's counter scrape shapes, and
 * histograms and summaries (written point by point through the protobuf writer, where
 * counters go through the column writer).
 */
export const SHAPES = [
  ['counter', 1, 10_000, 40],
  ['counter', 100, 100, 40],
  ['counter', 1, 100_000, 4],
  ['histogram', 1, 1_000, 40],
  ['summary', 1, 1_000, 40],
];
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function registryOf(core, kind, metrics, series) {
  const registry = new core.Registry();
  for (let m = 0; m < metrics; m++) {
    const options = { labelNames: ['path', 'code'], registry, maxSeries: series };
    if (kind === 'counter') {
      const counter = new core.Counter(
        `bench_scrape_${m}_total`,
        'Scrape benchmark counter.',
        options,
      );
      for (let k = 0; k < series; k++) {
        counter.inc({ path: `/api/v1/items/${k}`, code: STATUSES[k % 4] }, k + 1);
      }
      continue;
    }
    const metric =
      kind === 'histogram'
        ? new core.Histogram(`bench_scrape_${m}_seconds`, 'Scrape benchmark histogram.', {
            ...options,
            buckets: BUCKETS,
          })
        : new core.Summary(`bench_scrape_${m}_seconds`, 'Scrape benchmark summary.', options);
    for (let k = 0; k < series; k++) {
      const labels = { path: `/api/v1/items/${k}`, code: STATUSES[k % 4] };
      for (let n = 0; n < 20; n++) metric.observe(labels, ((k * 20 + n) % 97) / 40);
    }
  }
  return registry;
}
