/**
 * A/B of two builds of @promkit/core in one process: the same loops (`ab-core-cases.mjs`,
 * one copy per build), timed against each other by `ab-rounds.mjs`.
 * `node src/ab-core.mjs <old core/dist/index.js> <new core/dist/index.js> [rounds]`
 * Prints new/old: median [min–max] over the rounds.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { abRounds, importPerSide } from './ab-rounds.mjs';

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
const loops = new URL('./ab-core-cases.mjs', import.meta.url).href;
const casesFor = async (side, lib) => (await importPerSide(loops, side)).cases(lib, UNIQUE_ROUTES);
const A = await casesFor('old', old);
const B = await casesFor('new', neu);
/** Cases one call of which makes 100 000 series (timed per series). */
const ONCE = new Set([
  'insert 100k series (new counter each)',
  'insert 100k unique routes (new counter each)',
]);
const rounds = Number(roundsArg ?? 41);
for (const name of Object.keys(A)) {
  const once = ONCE.has(name);
  const calls = once ? 1 : 300_000;
  const ops = once ? 100_000 : calls;
  console.log(`${name}: ${abRounds(A[name], B[name], { rounds, calls, ops })}`);
}
