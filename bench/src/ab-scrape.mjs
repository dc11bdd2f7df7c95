/**
 * A/B of two builds of @promkit/core on the scrape cases, in one process: text and protobuf
 * renders of the same registry, alternated, CPU time per render (`process.cpuUsage`).
 * `node src/ab-scrape.mjs <old core/dist/index.js> <new core/dist/index.js> [rounds]
 * [--shapes [kind:]1x10000:40,…] [--labels 3]` (`--labels 3` adds a `method` label).
 * Prints per shape: protobuf/text of each build, and new/old per format, as
 * median min [min–max] over the rounds.
 */
import { parseArgs } from 'node:util';
import { loadCore, PROTOBUF, parseShapes, registryOf, SHAPES } from './scrape-registries.mjs';

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: { shapes: { type: 'string' }, labels: { type: 'string', default: '2' } },
});
const [oldPath, newPath, roundsArg = '5'] = positionals;
if (oldPath === undefined || newPath === undefined) {
  throw new Error('usage: node src/ab-scrape.mjs <old dist/index.js> <new dist/index.js> [rounds]');
}
const builds = { old: await loadCore(oldPath), new: await loadCore(newPath) };
const shapes = options.shapes === undefined ? SHAPES : parseShapes(options.shapes);
const labels = Number(options.labels);

async function cpuMsPerRender(core, registry, accept, n) {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) await core.render(registry, accept);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / n;
}

const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const spread = (a) =>
  `${median(a).toFixed(2)} [${Math.min(...a).toFixed(2)}–${Math.max(...a).toFixed(2)}]`;

for (const [kind, metrics, series, n] of shapes) {
  const registries = {
    old: registryOf(builds.old, kind, metrics, series, labels),
    new: registryOf(builds.new, kind, metrics, series, labels),
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
    `${kind} ${metrics}×${series}: protobuf/text old ${spread(ratio(protobuf.old, text.old))}, ` +
      `new ${spread(ratio(protobuf.new, text.new))}; new/old text ${spread(ratio(text.new, text.old))}, ` +
      `protobuf ${spread(ratio(protobuf.new, protobuf.old))}; new ms text ${median(text.new).toFixed(2)}, ` +
      `protobuf ${median(protobuf.new).toFixed(2)}`,
  );
}
