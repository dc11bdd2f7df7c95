// The scrape shapes the A/B and render scripts measure, built on whichever build of
// @promkit/core they are given.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PROTOBUF =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const STATUSES = ['200', '404', '500', '503'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

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

/** `[kind:]METRICSxSERIES:RENDERS,…` (kind defaults to counter) as SHAPES rows. */
export function parseShapes(text) {
  return text.split(',').map((shape) => {
    const parts = shape.split(':');
    const kind = parts.length === 3 ? parts.shift() : 'counter';
    const [metrics, series] = parts[0].split('x').map(Number);
    return [kind, metrics, series, Number(parts[1])];
  });
}

/** The @promkit/core build whose `dist/index.js` is at `path`. */
export function loadCore(path) {
  return import(pathToFileURL(resolve(path)).href);
}

/**
 * A registry of `metrics` metrics of `kind` with `series` series each, labelled `path` and
 * `code` (and `method` first when `labels` is 3).
 */
export function registryOf(core, kind, metrics, series, labels = 2) {
  const registry = new core.Registry();
  const labelNames = labels === 3 ? ['method', 'path', 'code'] : ['path', 'code'];
  const labelsOf = (k) => {
    const set = { path: `/api/v1/items/${k}`, code: STATUSES[k % 4] };
    return labels === 3 ? { method: METHODS[k % 5], ...set } : set;
  };
  for (let m = 0; m < metrics; m++) {
    const options = { labelNames, registry, maxSeries: series };
    if (kind === 'counter') {
      const counter = new core.Counter(
        `bench_scrape_${m}_total`,
        'Scrape benchmark counter.',
        options,
      );
      for (let k = 0; k < series; k++) counter.inc(labelsOf(k), k + 1);
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
      const set = labelsOf(k);
      for (let n = 0; n < 20; n++) metric.observe(set, ((k * 20 + n) % 97) / 40);
    }
  }
  return registry;
}
