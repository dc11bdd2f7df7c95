/**
 * A/B of two builds of @promkit/core in one process: the same loops (`ab-core-cases.mjs`,
 * one copy per build), alternated, CPU time per op (`process.cpuUsage`, so time the process
 * waits for a core is not counted).
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
// One route per series (a label with 100k values); flat strings, shared by both builds.
const UNIQUE_ROUTES = JSON.parse(
  JSON.stringify(Array.from({ length: 100000 }, (_, i) => `/api/v1/items/${i}`)),
);
const casesFor = async (side, lib) =>
  (await import(new URL(`./ab-core-cases.mjs?${side}`, import.meta.url).href)).cases(
    lib,
    UNIQUE_ROUTES,
  );
const A = await casesFor('old', old);
const B = await casesFor('new', neu);
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
