/**
 * Wall time of a render that follows a full garbage collection, as a scrape seconds after
 * the last one usually does, per build of @promkit/core: each run of each build in its own
 * `node --expose-gc` child (builds alternated run by run); a child renders one family
 * (`--kind`, 1 000 series, 2 labels) `--renders` times with `gc()` and a 20 ms pause before
 * each (`--no-gc`: neither), and reports the median and 90th percentile of the renders after
 * the first 20. Prints per build the runs' medians and p90s.
 * `node src/render-after-gc.mjs --kind histogram --format protobuf --runs 5 <dist/index.js>…`
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCore, PROTOBUF, registryOf } from './scrape-registries.mjs';

const ACCEPT = {
  text: undefined,
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  protobuf: PROTOBUF,
};

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: 'boolean', default: false },
    kind: { type: 'string', default: 'summary' },
    format: { type: 'string', default: 'protobuf' },
    series: { type: 'string', default: '1000' },
    renders: { type: 'string', default: '60' },
    runs: { type: 'string', default: '5' },
    'no-gc': { type: 'boolean', default: false },
  },
});
const WARMUP = 20;

if (values.child) await child(positionals[0]);
else parent(positionals);

async function child(path) {
  const core = await loadCore(path);
  const registry = registryOf(core, values.kind, 1, Number(values.series));
  const accept = ACCEPT[values.format];
  const times = [];
  for (let i = 0; i < Number(values.renders); i++) {
    if (!values['no-gc']) {
      globalThis.gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const started = performance.now();
    await core.render(registry, accept);
    times.push(performance.now() - started);
  }
  const timed = times.slice(WARMUP).sort((a, b) => a - b);
  const at = (q) => timed[Math.min(timed.length - 1, Math.floor(q * timed.length))];
  console.log(JSON.stringify({ median: at(0.5), p90: at(0.9) }));
}

function parent(builds) {
  const script = fileURLToPath(import.meta.url);
  const flags = Object.entries(values)
    .filter(([name]) => name !== 'child' && name !== 'runs' && name !== 'no-gc')
    .map(([name, value]) => `--${name}=${value}`);
  if (values['no-gc']) flags.push('--no-gc');
  const seen = builds.map(() => []);
  for (let run = 0; run < Number(values.runs); run++) {
    builds.forEach((build, b) => {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', script, '--child', ...flags, build],
        { encoding: 'utf8' },
      );
      seen[b].push(JSON.parse(out.trim().split('\n').at(-1)));
    });
  }
  const list = (runs, key) => runs.map((r) => r[key].toFixed(2)).join(' / ');
  builds.forEach((build, b) => {
    console.log(
      `${build} ${values.kind} ${values.format}${values['no-gc'] ? ' (no GC)' : ''}: ` +
        `median ms ${list(seen[b], 'median')}; p90 ${list(seen[b], 'p90')}`,
    );
  });
}
