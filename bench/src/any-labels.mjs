/**
 * `inc` on a counter without declared label names (any label set, aioprometheus style), a
 * new label object per call, 3 labels over 20 series: median ns per call over 15 rounds of
 * 1 M calls [min–max], per build of @promkit/core, each in its own child process.
 * `node src/any-labels.mjs <core dist/index.js>…` (default: the installed @promkit/core).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const [first, ...rest] = process.argv.slice(2);
if (first === '--child') await child(rest[0]);
else {
  const builds = first === undefined ? ['@promkit/core'] : [first, ...rest];
  for (const build of builds) {
    const script = fileURLToPath(import.meta.url);
    process.stdout.write(
      execFileSync(process.execPath, [script, '--child', build], { encoding: 'utf8' }),
    );
  }
}

async function child(build) {
  const { Counter, Registry } = await import(build);
  const counter = new Counter('bench_any_total', 'Any label set.', { registry: new Registry() });
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
  const routes = Array.from({ length: 10 }, (_, i) => `/api/v1/items/${i}`);
  const statuses = ['200', '201', '404', '500'];
  let i = 0;
  const run = (calls) => {
    for (let k = 0; k < calls; k++) {
      i = (i + 1) % 50;
      counter.inc({ method: methods[i % 5], route: routes[i % 10], status: statuses[i % 4] });
    }
  };
  run(2_000_000);
  const ns = [];
  for (let round = 0; round < 15; round++) {
    const start = process.hrtime.bigint();
    run(1_000_000);
    ns.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  ns.sort((a, b) => a - b);
  console.log(
    `${build}: ${ns[7].toFixed(1)} ns per inc [${ns[0].toFixed(1)}–${ns[14].toFixed(1)}], ${counter.seriesCount} series`,
  );
}
