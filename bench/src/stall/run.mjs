// Longest event-loop stall during one scrape of SERIES counter series, promkit next to
// prom-client and @prometheus-io/client, each library in its own process. promkit is
// scraped both over HTTP (the one responder: streamed and gzipped above 10k series) and
// through render(); the others through their render function. "CPU" is the process's CPU
// time in the longest gap: the stall as work, whatever else loads the machine.
// Usage: node src/stall/run.mjs [series=100000]   (pnpm --filter @promkit/bench stall)
// `pnpm bench` runs it too (part `stall`) and writes the table into bench/results.md.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./child.mjs', import.meta.url));
const RUNS = [
  ['promkit', 'text', 'http'],
  ['promkit', 'openmetrics', 'http'],
  ['promkit', 'protobuf', 'http'],
  ['promkit', 'text', 'render'],
  ['prom-client', 'text', 'render'],
  ['@prometheus-io/client', 'text', 'render'],
  // A summary's scrape also computes its quantiles: a fifth of the series, 5 samples each.
  ['promkit', 'text', 'http', 'summary'],
  ['prom-client', 'text', 'render', 'summary'],
  // Ten times the series (1 000 000 at the default): still responsive, memory bounded
  // (streamed over HTTP, next to the same page rendered whole).
  ['promkit', 'text', 'http', 'counter', 10],
  ['promkit', 'text', 'render', 'counter', 10],
];
/** Issue #15: at 100 000 series no stretch of a scrape blocks the event loop longer. */
export const MAX_STALL_MS = 20;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** One child process per row; each scrapes 5 times. */
export function runStall({ series = 100_000, log = () => {} } = {}) {
  const rows = [];
  for (const [library, format, via, kind = 'counter', scale = 1] of RUNS) {
    const count = kind === 'summary' ? Math.ceil(series / 5) : series * scale;
    const out = execFileSync(
      process.execPath,
      ['--max-old-space-size=4096', child, library, `${count}`, format, via, 'gzip', kind],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const { results, rssMB, pageBytes } = JSON.parse(out.trim().split('\n').at(-1));
    const row = { library, format, via, kind, series: count, results, rssMB, pageBytes };
    rows.push(row);
    log(`  ${describeStall(row)}`);
  }
  return { series, rows };
}

function describeStall({ library, format, via, kind, results }) {
  const stalls = results.map((r) => `${r.longestStallMs.toFixed(1)}`).join(', ');
  return `${library} ${kind} ${format} via ${via}: longest stall per scrape ${stalls} ms`;
}

/** The markdown table: first scrape apart from the warm ones (it pays for compiling code). */
export function stallTable({ rows }) {
  const out = [
    '| library | metric | format | scrape | series | median scrape ms | first scrape: longest stall ms (CPU) | later scrapes: longest stall ms [min–max] | pings answered during the 5 scrapes | RSS MB before the first scrape → peak during the scrapes | page MB (unpacked) |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const { library, kind = 'counter', format, via, series, results, pageBytes } of rows) {
    const [first, ...later] = results;
    const laterStalls = later.map((r) => r.longestStallMs);
    out.push(
      `| ${library} | ${kind} | ${format} | ${via} | ${series.toLocaleString('en')} | ${median(results.map((r) => r.scrapeMs)).toFixed(0)} | ${first.longestStallMs.toFixed(1)} (${first.longestCpuStallMs.toFixed(1)}) | ${median(laterStalls).toFixed(1)} [${Math.min(...laterStalls).toFixed(1)}–${Math.max(...laterStalls).toFixed(1)}] | ${results.reduce((n, r) => n + r.pongs, 0)} | ${results[0].rssBeforeMB.toFixed(0)} → ${Math.max(...results.map((r) => r.rssPeakMB)).toFixed(0)} | ${pageBytes === undefined ? '—' : (pageBytes / 1e6).toFixed(1)} |`,
    );
  }
  return out.join('\n');
}

/**
 * Target rows: promkit's worst stall over HTTP, every scrape counted (at the size the issue
 * names); at ten times that size, responsive (pings answered during every scrape) and
 * memory bounded: the streamed scrape's peak heap (+ ArrayBuffers) above its level before
 * the scrape stays below that of rendering the same page whole.
 */
export function stallTargets({ rows, series }) {
  const large = rows.filter((r) => r.library === 'promkit' && r.series > series);
  const streamed = large.find((r) => r.via === 'http');
  const whole = large.find((r) => r.via === 'render');
  const largeTargets = [];
  if (streamed !== undefined) {
    const name = `Scrape of ${streamed.series.toLocaleString('en')} counter series over HTTP (${streamed.format})`;
    const fewest = Math.min(...streamed.results.map((x) => x.pongs));
    largeTargets.push([
      `${name}: pings answered during every scrape`,
      `≥ ${fewest} per scrape`,
      fewest > 0,
    ]);
    if (whole !== undefined) {
      const s = peakGrowthMB(streamed);
      const w = peakGrowthMB(whole);
      largeTargets.push([
        `${name}: peak heap + ArrayBuffers above the level before the scrape, below rendering the page whole`,
        `+${s.toFixed(0)} MB streamed, +${w.toFixed(0)} MB whole (page ${(streamed.pageBytes / 1e6).toFixed(1)} MB)`,
        s < w,
      ]);
    }
  }
  return rows
    .filter(
      (r) =>
        r.library === 'promkit' && r.via === 'http' && r.kind !== 'summary' && r.series <= series,
    )
    .map((r) => {
      const worst = Math.max(...r.results.map((x) => x.longestStallMs));
      return [
        `Scrape of ${r.series.toLocaleString('en')} counter series over HTTP (${r.format}): longest stall ≤ ${MAX_STALL_MS} ms`,
        `${worst.toFixed(1)} ms`,
        worst <= MAX_STALL_MS,
      ];
    })
    .concat(largeTargets);
}

/** The most a scrape's peak heap (+ ArrayBuffers) rose above the level just before it. */
function peakGrowthMB({ results }) {
  return Math.max(...results.map((r) => r.heapPeakMB - r.heapBeforeMB));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const stall = runStall({
    series: Number(process.argv[2] ?? 100_000),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(`\n${stallTable(stall)}\n`);
}
