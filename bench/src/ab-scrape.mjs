/**
 * A/B of two builds of @promkit/core on the scrape cases, in one process: text and protobuf
 * renders of the same registry, alternated, CPU time per render (`process.cpuUsage`).
 * `node src/ab-scrape.mjs <old core/dist/index.js> <new core/dist/index.js> [rounds]
 * [--shapes 1x10000:40,1x100000:4] [--labels 3]` (`--labels 3` adds a `method` label).
 * Prints per shape: protobuf/text of each build, and new/old per format, as
 * median min [min–max] over the rounds.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { shapes: { type: 'string' }, labels: { type: 'string', default: '2' } },
});
const [oldPath, newPath, roundsArg = '5'] = positionals;
if (oldPath === undefined || newPath === undefined) {
  throw new Error('usage: node src/ab-scrape.mjs <old dist/index.js> <new dist/index.js> [rounds]');
}
const builds = {
  old: await import(pathToFileURL(resolve(oldPath)).href),
  new: await import(pathToFileURL(resolve(newPath)).href),
};
const PROTOBUF =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const STATUSES = ['200', '404', '500', '503'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const withMethod = options.labels === '3';
/** [counters, series each, renders per round]: the bench's scrape shapes. */
const SHAPES =
  options.shapes === undefined
    ? [
        [1, 10_000, 40],
        [100, 100, 40],
        [1, 100_000, 4],
      ]
    : options.shapes.split(',').map((shape) => shape.split(/[x:]/).map(Number));

function registryOf(core, metrics, series) {
  const registry = new core.Registry();
  for (let m = 0; m < metrics; m++) {
    const counter = new core.Counter(`bench_scrape_${m}_total`, 'Scrape benchmark counter.', {
      labelNames: withMethod ? ['method', 'path', 'code'] : ['path', 'code'],
      registry,
      maxSeries: series,
    });
    for (let k = 0; k < series; k++) {
      const labels = { path: `/api/v1/items/${k}`, code: STATUSES[k % 4] };
      counter.inc(withMethod ? { method: METHODS[k % 5], ...labels } : labels, k + 1);
    }
  }
  return registry;
}

async function cpuMsPerRender(core, registry, accept, n) {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await core.render(registry, accept);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const spread = (a) =>
  `${median(a).toFixed(2)} [${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)}]`;

for (const [metrics, series, n] of SHAPES) {
  const registries = {
    old: registryOf(builds.old, metrics, series),
    new: registryOf(builds.new, metrics, series),
  };
  for (const k of ['old', 'new']) {
    for (let i = 0; i < 10; i++) {
      await builds[k].render(registries[k]);
      await builds[k].render(registries[k], PROTOBUF);
    }
  }
  const text = { old: [], new: [] };
  const protobuf = { old: [], new: [] };
  for (let round = 0; round < Number(roundsArg); round++) {
    for (const k of round % 2 === 0 ? ['old', 'new'] : ['new', 'old']) {
      text[k].push(await cpuMsPerRender(builds[k], registries[k], undefined, n));
      protobuf[k].push(await cpuMsPerRender(builds[k], registries[k], PROTOBUF, n));
    }
  }
  const ratio = (a, b) => a.map((x, i) => x / b[i]);
  console.log(
    `${metrics}×${series}: protobuf/text old ${spread(ratio(protobuf.old, text.old))}, ` +
      `new ${spread(ratio(protobuf.new, text.new))}; new/old text ${spread(ratio(text.new, text.old))}, ` +
      `protobuf ${spread(ratio(protobuf.new, protobuf.old))}; new ms text ${median(text.new).toFixed(2)}, ` +
      `protobuf ${median(protobuf.new).toFixed(2)}`,
  );
}
