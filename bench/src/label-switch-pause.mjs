/**
 * The slowest single `Counter.inc(labels)` while one label gains 70 000 new values (the
 * call that takes it past 65 535 values moves it to a `LargeDictionary`, built from every
 * value so far), and at which value it was.
 * `node src/label-switch-pause.mjs [path to a core dist/index.js]`
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [corePath] = process.argv.slice(2);
const { Counter } = await import(
  corePath === undefined ? '@promkit/core' : pathToFileURL(resolve(corePath)).href
);
const counter = new Counter('pause_total', 'Pause.', {
  labelNames: ['route'],
  registry: null,
  maxSeries: Number.POSITIVE_INFINITY,
});
const routes = Array.from({ length: 70_000 }, (_, i) => `/api/v1/items/${i}`);
let slowest = 0;
let at = -1;
for (let i = 0; i < routes.length; i++) {
  const start = process.hrtime.bigint();
  counter.inc({ route: routes[i] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (ms > slowest) {
    slowest = ms;
    at = i;
  }
}
console.log(`slowest inc ${slowest.toFixed(2)} ms, at value ${at}`);
