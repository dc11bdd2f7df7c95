/**
 * A/B of two builds of @promkit/core on one labelled call whose `route` label has many
 * values: a 2-label counter with `values` pooled routes (flat strings), every series made
 * first, then `Counter.inc(labels)` over them in a scattered order
 * (`ab-label-size-calls.mjs`), timed against each other by `ab-rounds.mjs`. What the switch
 * to `LargeDictionary` was chosen from.
 * `node src/ab-label-size.mjs <old dist/index.js> <new dist/index.js> [values] [rounds]`
 * Prints new/old: median [min–max] over the rounds.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { abRounds, importPerSide } from './ab-rounds.mjs';

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
const loops = new URL('./ab-label-size-calls.mjs', import.meta.url).href;
const [runOld, runNew] = await Promise.all(
  ['old', 'new'].map(async (side, b) =>
    (await importPerSide(loops, side)).labelledCalls(builds[b], ROUTES),
  ),
);
const result = abRounds(runOld, runNew, { rounds: Number(roundsArg), calls: 300_000 });
console.log(`${values} values: ${result}`);
