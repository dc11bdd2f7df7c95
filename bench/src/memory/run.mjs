import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from '../stats.mjs';

/**
 * Heap bytes per counter series (3 labels), one child process per library and run
 * (`--expose-gc`), so no library's heap or JIT state touches another's.
 */

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const COMPETITORS = ['prom-client', '@prometheus-io/client', '@platformatic/prom-client'];
const LIBRARIES = ['promkit', ...COMPETITORS];

export async function runMemory({ smoke, log }) {
  const series = smoke ? 2_000 : 100_000;
  const repeats = smoke ? 1 : 3;
  const results = {};
  for (const library of LIBRARIES) {
    const perSeries = [];
    for (let r = 0; r < repeats; r++) {
      const { stdout } = await run(
        process.execPath,
        ['--expose-gc', CHILD, library, String(series)],
        {
          timeout: 120_000,
        },
      );
      perSeries.push(JSON.parse(stdout.trim()).bytesPerSeries);
    }
    results[library] = { bytesPerSeries: median(perSeries), runs: perSeries };
  }
  // The competitor with the fewest bytes per series.
  const better = COMPETITORS.reduce((best, c) =>
    results[c].bytesPerSeries < results[best].bytesPerSeries ? c : best,
  );
  const row = {
    id: 'memory-per-series',
    title: `Heap + ArrayBuffers per counter series, 3 labels (${series.toLocaleString('en')} series)`,
    series,
    results,
    better,
    // For memory the ratio is promkit / competitor: lower is better.
    ratio: results.promkit.bytesPerSeries / results[better].bytesPerSeries,
    target: 0.5,
  };
  log(
    `  ${row.title}: ${LIBRARIES.map((l) => `${l} ${results[l].bytesPerSeries.toFixed(0)} B`).join(', ')} → ${row.ratio.toFixed(2)}× of ${better}`,
  );
  return row;
}
