/**
 * `Counter.inc(labels)` on a 50-series counter with labels method/route/status, alone, or
 * next to another counter declaring the same label names that holds 100 000 series with a
 * unique route each. Metrics declaring the same names share one compiled finder, so the
 * large one's shape (a large dictionary, 4-byte ids) reaches the small one's calls.
 * `node src/finder-sharing.mjs <core dist/index.js> alone|large` — prints the median of 9
 * rounds of 300 000 calls (CPU time per call).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [corePath, mode = 'alone'] = process.argv.slice(2);
if (corePath === undefined)
  throw new Error('usage: node src/finder-sharing.mjs <core> alone|large');
const { Counter, Registry } = await import(pathToFileURL(resolve(corePath)).href);
const NAMES = ['method', 'route', 'status'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const ROUTES = Array.from({ length: 50 }, (_, i) => `/api/v1/items/${i}`);
const STATUSES = ['200', '201', '404', '500'];
const small = new Counter('small_total', 'S.', { labelNames: NAMES, registry: new Registry() });
if (mode === 'large') {
  const unique = JSON.parse(JSON.stringify(Array.from({ length: 100_000 }, (_, i) => `/u/${i}`)));
  const large = new Counter('large_total', 'L.', {
    labelNames: NAMES,
    registry: new Registry(),
    maxSeries: Number.POSITIVE_INFINITY,
  });
  for (let i = 0; i < unique.length; i++)
    large.inc({ method: METHODS[i % 5], route: unique[i], status: STATUSES[i % 4] });
}
let next = 0;
const run = (n) => {
  for (let r = 0; r < n; r++) {
    const i = next;
    next = i === 49 ? 0 : i + 1;
    small.inc({ method: METHODS[i % 5], route: ROUTES[i], status: STATUSES[i % 4] });
  }
};
run(300_000);
run(300_000);
const nanos = [];
for (let round = 0; round < 9; round++) {
  const start = process.cpuUsage();
  run(300_000);
  const used = process.cpuUsage(start);
  nanos.push(((used.user + used.system) * 1000) / 300_000);
}
nanos.sort((a, b) => a - b);
console.log(`${mode}: ${nanos[4].toFixed(1)} ns per call`);
