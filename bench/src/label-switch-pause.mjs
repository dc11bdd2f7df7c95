/**
 * One label gains 70 000 new values through `Counter.inc(labels)`: the time of the call
 * that adds value 65 536 (it moves the label to a `LargeDictionary`, built from every value
 * so far, where a `Map` of that label would double), and the slowest other call.
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
const SWITCH = 65_536;
let atSwitch = 0;
let slowest = 0;
let at = -1;
for (let i = 0; i < routes.length; i++) {
  const start = process.hrtime.bigint();
  counter.inc({ route: routes[i] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (i === SWITCH) atSwitch = ms;
  else if (ms > slowest) {
    slowest = ms;
    at = i;
  }
}
console.log(
  `value ${SWITCH}: ${atSwitch.toFixed(2)} ms; slowest other: ${slowest.toFixed(2)} ms (value ${at})`,
);
