/**
 * A/B of two builds of @promkit/core in one process: the same loops, alternated, CPU time
 * per op (`process.cpuUsage`, so time the process waits for a core is not counted).
 * `node src/ab-core.mjs <old core/dist/index.js> <new core/dist/index.js> [rounds]`
 * Prints new/old: median [min–max] over the rounds.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [oldPath, newPath, roundsArg] = process.argv.slice(2);
if (oldPath === undefined || newPath === undefined) {
  throw new Error('usage: node src/ab-core.mjs <old dist/index.js> <new dist/index.js> [rounds]');
}
const old = await import(pathToFileURL(resolve(oldPath)).href);
const neu = await import(pathToFileURL(resolve(newPath)).href);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const ROUTES = Array.from({ length: 1000 }, (_, i) => `/api/v1/items/${i}`);
const STATUSES = Array.from({ length: 20 }, (_, i) => `${200 + i}`);
// One route per series (a label with 100k values); flat strings, shared by both builds.
const UNIQUE_ROUTES = JSON.parse(
  JSON.stringify(Array.from({ length: 100000 }, (_, i) => `/api/v1/items/${i}`)),
);
function cases(lib) {
  const { Counter, Gauge, Registry } = lib;
  const small = new Counter('a_total', 'A.', {
    labelNames: ['method', 'route', 'status'],
    registry: new Registry(),
  });
  const gauge = new Gauge('g', 'G.', { labelNames: ['method', 'route'], registry: new Registry() });
  const big = new Counter('b_total', 'B.', {
    labelNames: ['method', 'route', 'status'],
    registry: new Registry(),
    maxSeries: Infinity,
  });
  for (let i = 0; i < 100000; i++)
    big.inc({
      method: METHODS[i % 5],
      route: ROUTES[Math.floor(i / 100)],
      status: STATUSES[Math.floor(i / 5) % 20],
    });
  const unique = new Counter('u_total', 'U.', {
    labelNames: ['method', 'route', 'status'],
    registry: new Registry(),
    maxSeries: Infinity,
  });
  for (let i = 0; i < 100000; i++)
    unique.inc({ method: METHODS[i % 5], route: UNIQUE_ROUTES[i], status: STATUSES[i % 4] });
  /** A new counter given 100 000 series, the labels of series `i` from `labelsOf(i)`. */
  const insert100k = (labelsOf) => {
    const c = new Counter('c_total', 'C.', {
      labelNames: ['method', 'route', 'status'],
      registry: null,
      maxSeries: Infinity,
    });
    for (let i = 0; i < 100000; i++) c.inc(labelsOf(i));
  };
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
    'inc 3 labels, 100k series (hits)': (n) => {
      for (let r = 0; r < n; r++) {
        const i = j;
        j = i === 99999 ? 0 : i + 7919 > 99999 ? i + 7919 - 100000 : i + 7919;
        big.inc({
          method: METHODS[i % 5],
          route: ROUTES[Math.floor(i / 100)],
          status: STATUSES[Math.floor(i / 5) % 20],
        });
      }
    },
    'inc 3 labels, 100k unique routes (hits)': (n) => {
      for (let r = 0; r < n; r++) {
        const i = u;
        u = i + 7919 > 99999 ? i + 7919 - 100000 : i + 7919;
        unique.inc({ method: METHODS[i % 5], route: UNIQUE_ROUTES[i], status: STATUSES[i % 4] });
      }
    },
    'insert 100k unique routes (new counter each)': () =>
      insert100k((i) => ({
        method: METHODS[i % 5],
        route: UNIQUE_ROUTES[i],
        status: STATUSES[i % 4],
      })),
    'insert 100k series (new counter each)': () =>
      insert100k((i) => ({
        method: METHODS[i % 5],
        route: ROUTES[Math.floor(i / 100)],
        status: STATUSES[Math.floor(i / 5) % 20],
      })),
  };
}
const A = cases(old),
  B = cases(neu);
const ITER = {
  'insert 100k series (new counter each)': 1,
  'insert 100k unique routes (new counter each)': 1,
};
const rounds = Number(roundsArg ?? 41);
for (const name of Object.keys(A)) {
  const n = ITER[name] ? 1 : 300_000;
  for (let w = 0; w < 2; w++) {
    A[name](n);
    B[name](n);
  }
  const ratios = [],
    ta = [],
    tb = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [A, B] : [B, A];
    const t = new Map();
    for (const side of order) {
      const s = process.cpuUsage();
      side[name](n);
      const d = process.cpuUsage(s);
      t.set(side, (d.user + d.system) * 1000);
    }
    const reps = ITER[name] ? 100000 : n;
    ta.push(t.get(A) / reps);
    tb.push(t.get(B) / reps);
    ratios.push(t.get(B) / t.get(A));
  }
  const med = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
  console.log(
    `${name}: old ${med(ta).toFixed(1)} ns, new ${med(tb).toFixed(1)} ns, new/old median ${med(ratios).toFixed(3)} [${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}]`,
  );
}
