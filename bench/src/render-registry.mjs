/**
 * What the render measurements scrape: one counter with 3 labels (`method`, `path`, `code`)
 * and `series` series, in a fresh registry of the @promkit/core build at `path`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const PROTOBUF =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUSES = ['200', '404', '500', '503'];

export async function counterRegistry(path, series) {
  const core = await import(pathToFileURL(resolve(path)).href);
  const registry = new core.Registry();
  const counter = new core.Counter('bench_scrape_total', 'Scrape benchmark counter.', {
    labelNames: ['method', 'path', 'code'],
    registry,
    maxSeries: series,
  });
  for (let k = 0; k < series; k++) {
    counter.inc(
      { method: METHODS[k % 5], path: `/api/v1/items/${k}`, code: STATUSES[k % 4] },
      k + 1,
    );
  }
  return { core, registry };
}
