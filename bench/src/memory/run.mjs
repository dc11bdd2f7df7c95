import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median } from '../stats.mjs';

/**
 * Heap bytes per counter series (3 labels), one child process per library, shape and
 * run (`--expose-gc`), so no library's heap or JIT state touches another's.
 */

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));
const COMPETITORS = ['prom-client', '@prometheus-io/client', '@platformatic/prom-client'];
const LIBRARIES = ['promkit', ...COMPETITORS];
/** prom-client's API on promkit: measured beside them, not one of the competitors. */
export const PROM_CLIENT_API = '@promkit/prom-client';
/** Issue #19's absolute target for promkit, bytes per series. */
export const MAX_BYTES_PER_SERIES = 60;

const SHAPES = [
  {
    shape: 'fresh',
    id: 'memory-per-series',
    title: 'fresh route string per series',
  },
  {
    shape: 'shared',
    id: 'memory-per-series-shared',
    title: 'label values from shared pools',
  },
  {
    shape: 'summary',
    id: 'memory-per-summary-series',
    kind: 'Summary',
    labels: '1 label',
    title: '10 observations per series, default quantiles',
    series: 20_000,
    // No issue sets a figure for summaries: no more than the best of the others.
    target: 1,
    maxBytes: undefined,
  },
  {
    shape: 'window-summary',
    id: 'memory-per-window-summary-series',
    kind: 'Summary',
    labels: '1 label',
    title: 'a 10-minute window of 5 age buckets, 10 observations per series, default quantiles',
    series: 20_000,
    target: 1,
    maxBytes: undefined,
  },
  {
    shape: 'histogram',
    id: 'memory-per-histogram-series',
    kind: 'Histogram',
    title: 'label values from shared pools, 11 bounds, 1 observation per series',
    // Nor for histograms.
    target: 1,
    maxBytes: undefined,
  },
];

export async function runMemory({ smoke, log }) {
  const repeats = smoke ? 1 : 3;
  const rows = [];
  for (const spec of SHAPES) {
    const { shape, id, title } = spec;
    const series = smoke ? 2_000 : (spec.series ?? 100_000);
    const results = {};
    for (const library of [...LIBRARIES, PROM_CLIENT_API]) {
      const perSeries = [];
      const scraped = [];
      for (let r = 0; r < repeats; r++) {
        const { stdout } = await run(
          process.execPath,
          ['--expose-gc', CHILD, library, String(series), shape],
          { timeout: 120_000 },
        );
        const measured = JSON.parse(stdout.trim());
        perSeries.push(measured.bytesPerSeries);
        scraped.push(measured.bytesPerSeriesScraped);
      }
      results[library] = {
        bytesPerSeries: median(perSeries),
        runs: perSeries,
        scrapedBytesPerSeries: median(scraped),
        scrapedRuns: scraped,
      };
    }
    // The competitor with the fewest bytes per series.
    const better = COMPETITORS.reduce((best, c) =>
      results[c].bytesPerSeries < results[best].bytesPerSeries ? c : best,
    );
    const row = {
      id,
      shape,
      title: `${spec.kind ?? 'Counter'}, ${spec.labels ?? '3 labels'}, ${title} (${series.toLocaleString('en')} series)`,
      series,
      results,
      better,
      // For memory the ratio is promkit / competitor: lower is better.
      ratio: results.promkit.bytesPerSeries / results[better].bytesPerSeries,
      target: spec.target ?? 0.5,
      maxBytes: 'maxBytes' in spec ? spec.maxBytes : MAX_BYTES_PER_SERIES,
    };
    log(
      `  ${row.title}: ${[...LIBRARIES, PROM_CLIENT_API].map((l) => `${l} ${results[l].bytesPerSeries.toFixed(0)} B (${results[l].scrapedBytesPerSeries.toFixed(0)} B after a scrape)`).join(', ')} → ${row.ratio.toFixed(2)}× of ${better}`,
    );
    rows.push(row);
  }
  return rows;
}
