/**
 * A/B of two builds of @promkit/core on one labelled call whose `route` label has many
 * values: a 2-label counter with `values` pooled routes (flat strings), every series made
 * first, then `Counter.inc(labels)` over them in a scattered order, alternated between the
 * builds, CPU time per call. What the switch to `LargeDictionary` was chosen from.
 * `node src/ab-label-size.mjs <old dist/index.js> <new dist/index.js> [values] [rounds]`
 * Prints new/old: median [min–max] over the rounds. Run it in both orders (the second
 * build loaded can be slower whichever it is).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [oldPath, newPath, valuesArg = '5000', roundsArg = '15'] = process.argv.slice(2);
if (oldPath === undefined || newPath === undefined) {
  throw new Error(
    'usage: node src/ab-label-size.mjs <old dist/index.js> <new dist/index.js> [values] [rounds]',
  );
}
const builds = [
  await import(pathToFileURL(resolve(oldPath)).href),
  await import(pathToFileURL(resolve(newPath)).href),
];
const values = Number(valuesArg);
const ROUTES = JSON.parse(
  JSON.stringify(Array.from({ length: values }, (_, i) => `/api/v1/items/${i}`)),
);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STEP = 7919;

function calls({ Counter }) {
  const counter = new Counter('m_total', 'M.', {
    labelNames: ['method', 'route'],
    registry: null,
    maxSeries: Number.POSITIVE_INFINITY,
  });
  for (let i = 0; i < values; i++) counter.inc({ method: METHODS[i % 5], route: ROUTES[i] });
  let next = 0;
  return (n) => {
    for (let r = 0; r < n; r++) {
      const i = next;
      next = (i + STEP) % values;
      counter.inc({ method: METHODS[i % 5], route: ROUTES[i] });
    }
  };
}

const runs = builds.map(calls);
const PER_ROUND = 300_000;
for (const run of runs) {
  run(PER_ROUND);
  run(PER_ROUND);
}
const ratios = [];
const times = [[], []];
for (let round = 0; round < Number(roundsArg); round++) {
  const nanos = [];
  for (const side of round % 2 ? [0, 1] : [1, 0]) {
    const start = process.cpuUsage();
    runs[side](PER_ROUND);
    const used = process.cpuUsage(start);
    nanos[side] = ((used.user + used.system) * 1000) / PER_ROUND;
  }
  times[0].push(nanos[0]);
  times[1].push(nanos[1]);
  ratios.push(nanos[1] / nanos[0]);
}
const median = (x) => [...x].sort((a, b) => a - b)[x.length >> 1];
console.log(
  `${values} values: old ${median(times[0]).toFixed(1)} ns, new ${median(times[1]).toFixed(1)} ns, new/old ${median(ratios).toFixed(3)} [${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}]`,
);
