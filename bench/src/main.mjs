import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { parseArgs } from 'node:util';

/**
 * `pnpm bench`: micro-benchmarks, memory per series and HTTP overhead of promkit against
 * prom-client@15, @prometheus-io/client, @platformatic/prom-client and the established middlewares; prints the
 * tables and writes bench/results.md. `pnpm --filter @promkit/bench smoke`: every case
 * once with tiny counts, shape checks, non-zero exit on any error.
 */

const { values: args } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    only: { type: 'string' },
    filter: { type: 'string' },
    seconds: { type: 'string' },
    alternations: { type: 'string' },
    rounds: { type: 'string' },
    'instructions-from': { type: 'string' },
    frameworks: { type: 'string' },
    variants: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const ALL_PARTS = ['micro', 'memory', 'stall', 'http', 'instructions'];
const smoke = args.smoke;
const parts = new Set((args.only ?? ALL_PARTS.join(',')).split(','));
const log = (line) => process.stdout.write(`${line}\n`);
const startedAt = Date.now();

try {
  await import('@promkit/core');
} catch (error) {
  log(
    `@promkit/core is not built: run \`pnpm --filter @promkit/core build\` first (${error.message})`,
  );
  process.exit(1);
}
const { runMicro } = await import('./micro/run.mjs');
const { mergeRounds } = await import('./micro/rounds.mjs');
const { runMemory } = await import('./memory/run.mjs');
const { runHttp } = await import('../http/run.mjs');
const { runInstructions, summariseInstructions, valgrindMissing } = await import(
  '../http/instructions.mjs'
);
const { runStall, stallTable, stallTargets } = await import('./stall/run.mjs');
const report = await import('./report.mjs');

const require = createRequire(import.meta.url);
const versions = {
  'prom-client': require('prom-client/package.json').version,
  '@prometheus-io/client': require('@prometheus-io/client/package.json').version,
  '@platformatic/prom-client': require('@platformatic/prom-client/package.json').version,
};
const loadBefore = os.loadavg();

const failures = [];
const results = {};
if (parts.has('micro')) {
  const rounds = smoke ? 1 : Number(args.rounds ?? 3);
  const perRound = [];
  for (let round = 1; round <= rounds; round++) {
    log(
      smoke ? 'micro (smoke)…' : `micro-benchmarks (mitata, medians), round ${round} of ${rounds}…`,
    );
    const micro = await runMicro({
      smoke,
      log,
      filter: args.filter === undefined ? undefined : new RegExp(args.filter),
    });
    perRound.push(micro.rows);
    failures.push(...micro.failures);
  }
  results.micro = mergeRounds(perRound);
}
if (parts.has('memory')) {
  log('memory per series (one child process per library)…');
  results.memory = await runMemory({ smoke, log });
}
if (parts.has('stall')) {
  log('scrape stalls (one child process per library and format)…');
  results.stall = runStall({ series: smoke ? 2_000 : 100_000, log });
}
if (parts.has('http')) {
  log('HTTP overhead (autocannon, server CPU per request)…');
  const http = await runHttp({
    smoke,
    log,
    ...(args.seconds === undefined ? {} : { seconds: Number(args.seconds) }),
    ...(args.alternations === undefined ? {} : { alternations: Number(args.alternations) }),
    ...(args.frameworks === undefined ? {} : { frameworks: args.frameworks.split(',') }),
    ...(args.variants === undefined ? {} : { variants: args.variants.split(',') }),
    pin: !args['no-pin'],
  });
  results.http = http;
  failures.push(...http.failures);
}

if (args['instructions-from'] !== undefined) {
  // Instruction counts do not depend on load or on when they were taken: a run of
  // `node http/instructions.mjs --json` (one file per group of variants) can be reported.
  results.instructions = instructionsFrom(args['instructions-from'].split(','));
  parts.add('instructions');
} else if (parts.has('instructions') && !smoke) {
  log('HTTP instructions per request (callgrind, server process only)…');
  const missing = valgrindMissing();
  if (missing === undefined) {
    results.instructions = await runInstructions({
      log,
      ...(args.frameworks === undefined ? {} : { frameworks: args.frameworks.split(',') }),
      ...(args.variants === undefined ? {} : { variants: args.variants.split(',') }),
    });
  } else {
    log(`  ${missing}`);
    failures.push(missing);
  }
}

const elapsed = ((Date.now() - startedAt) / 1000).toFixed(1);
if (smoke) {
  for (const f of failures) log(`FAIL ${f}`);
  log(
    failures.length === 0
      ? `smoke: every case ran and every page had the expected shape (${elapsed} s)`
      : `smoke: ${failures.length} failure(s) (${elapsed} s)`,
  );
  process.exit(failures.length === 0 ? 0 : 1);
}

const markdown = render(results, elapsed);
log(`\n${markdown}`);
if (
  ALL_PARTS.every((p) => parts.has(p)) &&
  args.filter === undefined &&
  args.frameworks === undefined &&
  args.variants === undefined
) {
  writeFileSync(new URL('../results.md', import.meta.url), markdown);
  log('wrote bench/results.md');
} else {
  log('partial run: bench/results.md left as it was');
}
if (failures.length > 0) {
  for (const f of failures) log(`ERROR ${f}`);
  process.exit(1);
}

function render({ micro, memory, stall, http, instructions }, seconds) {
  const cpu = os.cpus();
  const out = [
    '# promkit benchmark results',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version} (V8 ${process.versions.v8}); prom-client ${versions['prom-client']}, @prometheus-io/client ${versions['@prometheus-io/client']} (declares Node ≥ 22, runs on 20 for these cases), @platformatic/prom-client ${versions['@platformatic/prom-client']}`,
    `- Load average (1 min) at start ${loadBefore[0].toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)}; total time ${seconds} s`,
    '- Command: `pnpm bench` (micro cases in one process with mitata; memory in one child process per library; HTTP servers as child processes, under callgrind for the instruction counts)',
    ...(args['instructions-from'] === undefined
      ? []
      : [
          '- Instruction counts: taken in separate runs of `node http/instructions.mjs --json` (counts do not depend on load) and reported with `--instructions-from`.',
        ]),
    '',
  ];
  if (micro !== undefined) {
    out.push(
      '## Micro-benchmarks',
      '',
      `Median time per operation over mitata samples (after a warm-up and a full GC), every library in the same process and run; the per-call cases time every library in 5 interleaved slices (the median of its slice medians), so a burst of load from another process cannot land in one library's window alone; ${micro[0]?.rounds ?? 1} rounds of every case one after another in that process, each library's figure the median of its per-round medians. Ratio = best (fastest) of prom-client, @prometheus-io/client and @platformatic/prom-client / promkit (higher = promkit faster): the median of the per-round ratios [min–max over the rounds]. A target is "yes" when every round met it, "median only" when the median did but a round did not.` +
        " Every metric lives in its own registry. Histograms observe with each library's default buckets (promkit 14 bounds, prom-client 11); the scrape histogram uses the same 11 bounds in every library.",
      '',
      report.microTable(micro, versions),
      '',
      '### prom-client API',
      '',
      '`@promkit/prom-client` (prom-client 15 API on promkit) against prom-client, @prometheus-io/client and @platformatic/prom-client, each running the same prom-client-API code. Ratio = the best of the three / @promkit/prom-client.',
      '',
      report.compatTable(micro, versions),
      '',
    );
    const summary = micro.find((r) => r.id === 'summary-observe-labels');
    if (summary?.results.promkit?.perCall !== undefined) {
      out.push(
        "Summary.observe latency, each call timed on its own (200 000 calls, the timer's median cost subtracted). Flat p99 = per-call p99 under 1 µs: no buffer flush or digest compression (tens of µs) reaches the 99th percentile; they show at p99.9:",
        '',
        report.latencyTable(summary),
        '',
      );
    }
  }
  if (memory !== undefined) {
    out.push(
      '## Memory per series',
      '',
      `Heap used plus ArrayBuffer memory (typed arrays live outside the JS heap) after forced GC, before and after creating ${memory[0].series.toLocaleString('en')} counter series with 3 labels (method, route, status), divided by the series count; median [min–max] of ${memory[0].results.promkit.runs.length} child processes per library and case (\`node --expose-gc\`). Fresh: each series' route is a new string (\`/api/v1/items/\${i}\`), so the figure includes holding one unique 19-character string per series (40 B as a V8 string) and its dictionary entry. Shared: the values come from pools made before the baseline (5 methods × 1000 routes × 20 statuses), so the figure is the library's own cost per series. Summary: a summary with one label (\`id\`, from a pool made before the baseline) and the default quantiles, 10 observations per series (still in the series' buffer when measured). Windowed summary: the same with \`maxAgeSeconds: 600, ageBuckets: 5\` in every library; all observations land before the first age bucket expires (a series younger than its window, whose age buckets still hold the same values). Histogram: the shared shape's labels, the same 11 bounds in every library (prom-client's defaults), one observation per series.`,
      '',
      report.memoryTable(memory, versions),
      '',
      '### After one scrape, and the prom-client API',
      '',
      "The same child processes then scrape the metric once (promkit: `render`; the others: `registry.metrics()`), let the page go and measure again: what a library keeps from its first scrape (a cache of label text, say) is part of what a series costs. `@promkit/prom-client` (prom-client's API on promkit) runs the prom-client-API code. Median of the runs once made → after the scrape [min–max after the scrape].",
      '',
      report.memoryScrapeTable(memory, versions),
      '',
    );
  }
  if (stall !== undefined) {
    out.push(
      '## Scrape stalls',
      '',
      `Longest event-loop stall during a scrape of one counter with ${stall.series.toLocaleString('en')} series (2 labels), each library in its own process (\`node src/stall/run.mjs\`): a 1 ms interval probe measures the longest gap between its ticks while an HTTP server on the same loop is pinged; 5 scrapes per row. promkit over HTTP = GET /metrics with \`Accept-Encoding: gzip\` through core's one metrics responder (streamed above 10 000 series); \`render\` = the library's render function (prom-client: \`registry.metrics()\`). The first scrape also pays for compiling the code it runs (in brackets: the process's CPU time in that gap). Summary rows: one summary with a fifth as many series, 10 observations each still buffered, so the first scrape also merges them into the quantile streams (5 samples per series). The last row scrapes ten times as many counter series (${(stall.series * 10).toLocaleString('en')}) to show the process stays responsive and its memory bounded: RSS just before the first scrape and its peak during the five (the probe reads RSS, and heap + ArrayBuffers for the memory target, every tick), against the size of the page unpacked (what a scrape that held the page whole would hold, besides its gzipped copy).`,
      '',
      stallTable(stall),
      '',
    );
  }
  if (instructions !== undefined) {
    out.push(
      '## HTTP work per request (instructions)',
      '',
      `Instructions the server process executes per GET /hello, counted by valgrind's callgrind (\`node --predictable --predictable-gc-schedule\`: one V8 thread, fixed GC schedule). One keep-alive connection from the unmeasured harness, one request at a time; ${instructions.warmup} warm-up requests uncounted; before each of ${instructions.windows} windows of ${windowsText(instructions)} requests a full GC and ${instructions.rewarm} uncounted requests, then a minor GC, so every window starts from the same heap (method: bench/README.md). Median of the windows, every window in parentheses. Load-independent: comparable across runs and machines with the same Node and packages. Added = variant − bare.`,
      '',
      report.instructionsTable(instructions),
      '',
    );
  }
  if (http !== undefined) {
    out.push(
      '## HTTP overhead (CPU time, second opinion)',
      '',
      `Hello-world app per framework (GET /hello), bare, with promkit's adapter and with the established middleware; each a separate server process on loopback, loaded by autocannon (${http.connections} connections, ${http.seconds} s runs after a 1 s warm-up). Server CPU time per request = utime+stime from /proc/<pid>/stat over a run / responses served; ${http.alternations} alternated rounds per variant, median [min–max]. Overhead % is against the bare app's median. ${http.pinning === undefined ? 'The load generator shares the cores with the server' : `The server runs pinned to CPU ${http.pinning.server} and the load generator to CPU ${http.pinning.load} (\`taskset\`; \`--no-pin\` to run unpinned), so they never take turns on one core; other work on the machine still lands on both`}: figures taken while other work loads the machine are not comparable with each other or with other runs; the instruction counts above are.`,
      '',
      report.httpTable(http),
      '',
    );
  }
  out.push(
    '## Targets',
    '',
    report.targets({
      micro,
      memory,
      http,
      instructions,
      stall: stall === undefined ? [] : stallTargets(stall),
    }),
    '',
  );
  return out.join('\n');
}

/** The window sizes of the runs (each variant keeps its own): `500 (Express 2000)`. */
function windowsText({ rows, window }) {
  const sizes = new Map();
  for (const row of rows) {
    for (const r of Object.values(row.variants)) {
      const size = r.window ?? window;
      if (!sizes.has(size)) sizes.set(size, new Set());
      sizes.get(size).add(row.framework);
    }
  }
  const [common, ...others] = [...sizes].sort((a, b) => b[1].size - a[1].size);
  if (common === undefined) return '?';
  const named = others.map(([size, fws]) => `${[...fws].map(title).join(', ')} ${size}`);
  return named.length === 0 ? `${common[0]}` : `${common[0]} (${named.join('; ')})`;
}

function title(name) {
  return name[0].toUpperCase() + name.slice(1);
}

/** Merges `instructions.mjs --json` outputs (the last line of each file) per framework. */
function instructionsFrom(files) {
  const byFramework = new Map();
  let settings;
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const run = JSON.parse(lines.at(-1));
    settings ??= run;
    for (const row of run.rows) {
      const measured = byFramework.get(row.framework) ?? {};
      for (const [variant, r] of Object.entries(row.variants)) measured[variant] = r;
      byFramework.set(row.framework, measured);
    }
  }
  return {
    ...settings,
    rows: [...byFramework].map(([framework, measured]) =>
      summariseInstructions(framework, measured),
    ),
  };
}
