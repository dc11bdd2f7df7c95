/**
 * `Counter.inc(labels)` when an application has several counters with different label
 * names, each called from its own site (each has its own compiled finder, so the call to
 * the finder inside `Counter.inc` sees several functions), against one counter alone.
 * `node src/inc-mixed.mjs <core dist/index.js> alone|three|six` — the median of 9 rounds of
 * 300 000 loop turns, CPU time per `inc` (a turn of `three`/`six` makes 3/6 calls).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { medianCpuNanos } from './stats.mjs';

const [corePath, mode = 'alone'] = process.argv.slice(2);
const { Counter, Registry } = await import(pathToFileURL(resolve(corePath)).href);
const reg = new Registry();
const M = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const R = Array.from({ length: 50 }, (_, i) => `/api/v1/items/${i}`);
const S = ['200', '201', '404', '500'];
const a = new Counter('a_total', 'A.', {
  labelNames: ['method', 'route', 'status'],
  registry: reg,
});
const b = new Counter('b_total', 'B.', { labelNames: ['queue', 'outcome', 'kind'], registry: reg });
const c = new Counter('c_total', 'C.', { labelNames: ['tenant', 'plan'], registry: reg });
const d = new Counter('d_total', 'D.', { labelNames: ['host', 'zone'], registry: reg });
const e = new Counter('e_total', 'E.', { labelNames: ['job', 'state', 'reason'], registry: reg });
const f = new Counter('f_total', 'F.', { labelNames: ['topic'], registry: reg });
let next = 0;
const runAlone = (n) => {
  for (let r = 0; r < n; r++) {
    const i = next;
    next = i === 49 ? 0 : i + 1;
    a.inc({ method: M[i % 5], route: R[i], status: S[i % 4] });
  }
};
/** One turn of the three counters, each from its own call site. */
const three = (i) => {
  a.inc({ method: M[i % 5], route: R[i], status: S[i % 4] });
  b.inc({ queue: S[i % 4], outcome: M[i % 5], kind: R[i] });
  c.inc({ tenant: R[i], plan: M[i % 5] });
};
const runMixed = (n) => {
  for (let r = 0; r < n; r++) {
    const i = next;
    next = i === 49 ? 0 : i + 1;
    three(i);
  }
};
const runSix = (n) => {
  for (let r = 0; r < n; r++) {
    const i = next;
    next = i === 49 ? 0 : i + 1;
    three(i);
    d.inc({ host: R[i], zone: S[i % 4] });
    e.inc({ job: M[i % 5], state: S[i % 4], reason: R[i] });
    f.inc({ topic: R[i] });
  }
};
const run =
  mode === 'alone' ? runAlone : mode === 'six' ? runSix : mode === 'three' ? runMixed : undefined;
if (run === undefined) throw new Error(`usage: node src/inc-mixed.mjs <core> alone|three|six`);
const callsPerTurn = mode === 'alone' ? 1 : mode === 'six' ? 6 : 3;
console.log(mode, medianCpuNanos(run, { callsPerTurn }).toFixed(1), 'ns per inc');
