/**
 * Garbage collections per render of one counter (3 labels), per build of @promkit/core, with
 * V8's default GC heuristics (no `--predictable`): each build in its own child process,
 * 20 renders of warm-up, then `--renders` renders observed through `gc` performance
 * entries, with their wall time.
 * `node src/render-gc.mjs --format protobuf --series 100000 --runs 3 <dist/index.js>…`
 */
import { execFileSync } from 'node:child_process';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCore, PROTOBUF, registryOf } from './scrape-registries.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: 'boolean', default: false },
    format: { type: 'string', default: 'protobuf' },
    series: { type: 'string', default: '100000' },
    renders: { type: 'string', default: '40' },
    runs: { type: 'string', default: '3' },
  },
});
const series = Number(values.series);
const accept = values.format === 'protobuf' ? PROTOBUF : undefined;

if (values.child) await child(positionals[0]);
else {
  const script = fileURLToPath(import.meta.url);
  for (let run = 0; run < Number(values.runs); run++) {
    for (const path of positionals) {
      const args = [script, '--child', `--format=${values.format}`, `--series=${series}`];
      process.stdout.write(
        execFileSync(process.execPath, [...args, `--renders=${values.renders}`, path], {
          encoding: 'utf8',
        }),
      );
    }
  }
}

async function child(path) {
  const core = await loadCore(path);
  const registry = registryOf(core, 'counter', 1, series, 3);
  for (let i = 0; i < 20; i++) await core.render(registry, accept);
  const counts = { major: 0, minor: 0, incremental: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = entry.detail.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) counts.major++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MINOR) counts.minor++;
      else if (kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL) counts.incremental++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const renders = Number(values.renders);
  const start = performance.now();
  for (let i = 0; i < renders; i++) await core.render(registry, accept);
  const ms = (performance.now() - start) / renders;
  await new Promise((done) => setTimeout(done, 50));
  observer.disconnect();
  console.log(
    `${path} ${values.format} ${series}: ${renders} renders, major ${counts.major}, minor ${counts.minor}, ${ms.toFixed(1)} ms/render`,
  );
}
