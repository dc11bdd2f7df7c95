/**
 * `Counter.inc(labels)` on a 50-series counter with labels method/route/status, timed in
 * one loop, after one of these histories (each N = 5 000 calls from module code):
 * - `alone`: nothing before;
 * - `self-insert`: the same counter first adds N new series (250 other routes);
 * - `neighbour`: another counter with the same label names adds N new series;
 * - `other-names`: another counter with other label names adds N new series;
 * - `same-values`: another counter with the same names is incremented N times on the
 *   timed counter's 50 routes (100 series, all added by the first 100 calls, then hits).
 * It shows what decides the figure: whether `Counter.inc` was first optimised while most
 * calls added series (V8 then inlines the insertion path into it, and a loop optimised
 * later no longer inlines `inc`), not which metric or finder made those calls.
 * `node src/inc-history.mjs <core dist/index.js> <history> [N]` — prints the median of 9
 * rounds of 300 000 calls (CPU time per call).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { medianCpuNanos } from './stats.mjs';

const HISTORIES = ['alone', 'self-insert', 'neighbour', 'other-names', 'same-values'];
const [corePath, history = 'alone', count = '5000'] = process.argv.slice(2);
if (corePath === undefined || !HISTORIES.includes(history)) {
  throw new Error(`usage: node src/inc-history.mjs <core> ${HISTORIES.join('|')} [N]`);
}
const N = Number(count);
const { Counter, Registry } = await import(pathToFileURL(resolve(corePath)).href);
const NAMES = ['method', 'route', 'status'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const ROUTES = Array.from({ length: 50 }, (_, i) => `/api/v1/items/${i}`);
const OTHER_ROUTES = Array.from({ length: 250 }, (_, i) => `/u/${i}`);
const STATUSES = ['200', '201', '404', '500'];
const timed = new Counter('timed_total', 'T.', { labelNames: NAMES, registry: new Registry() });
const other = (labelNames) =>
  new Counter('other_total', 'O.', { labelNames, registry: new Registry() });

/** Labels of the i-th new series: 250 routes × 5 methods × 4 statuses. */
const fresh = (i) => ({
  method: METHODS[i % 5],
  route: OTHER_ROUTES[Math.floor(i / 20) % 250],
  status: STATUSES[Math.floor(i / 5) % 4],
});
if (history === 'self-insert') {
  for (let i = 0; i < N; i++) timed.inc(fresh(i));
} else if (history === 'neighbour') {
  const neighbour = other(NAMES);
  for (let i = 0; i < N; i++) neighbour.inc(fresh(i));
} else if (history === 'other-names') {
  const neighbour = other(['a', 'b', 'c']);
  for (let i = 0; i < N; i++) {
    const { method, route, status } = fresh(i);
    neighbour.inc({ a: method, b: route, c: status });
  }
} else if (history === 'same-values') {
  const neighbour = other(NAMES);
  for (let i = 0; i < N; i++) {
    neighbour.inc({ method: METHODS[i % 5], route: ROUTES[i % 50], status: STATUSES[i % 4] });
  }
}

let next = 0;
const run = (n) => {
  for (let r = 0; r < n; r++) {
    const i = next;
    next = i === 49 ? 0 : i + 1;
    timed.inc({ method: METHODS[i % 5], route: ROUTES[i], status: STATUSES[i % 4] });
  }
};
console.log(`${history} (N ${N}): ${medianCpuNanos(run).toFixed(1)} ns per call`);
