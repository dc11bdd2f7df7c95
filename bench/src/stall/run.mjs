// Longest event-loop stall during one scrape of SERIES counter series, promkit next to
// prom-client and @prometheus-io/client, each library in its own process. promkit is
// scraped both over HTTP (the one responder: streamed and gzipped above 10k series) and
// through render(); the others through their render function. "CPU" is the process's CPU
// time in the longest gap: the stall as work, whatever else loads the machine.
// Usage: node src/stall/run.mjs [series=100000]   (pnpm --filter @promkit/bench stall)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SERIES = Number(process.argv[2] ?? 100_000);
const child = fileURLToPath(new URL('./child.mjs', import.meta.url));
const runs = [
  ['promkit', 'text', 'http'],
  ['promkit', 'openmetrics', 'http'],
  ['promkit', 'protobuf', 'http'],
  ['promkit', 'text', 'render'],
  ['prom-client', 'text', 'render'],
  ['@prometheus-io/client', 'text', 'render'],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `| library | format | scrape | series | median scrape ms | median longest stall ms | worst stall ms | worst stall, CPU ms | pings answered during scrapes | RSS MB |`,
);
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [library, format, via] of runs) {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=4096', child, library, `${SERIES}`, format, via],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  const { results, rssMB } = JSON.parse(out.trim().split('\n').at(-1));
  const stalls = results.map((r) => r.longestStallMs);
  console.log(
    `| ${library} | ${format} | ${via} | ${SERIES} | ${median(results.map((r) => r.scrapeMs)).toFixed(0)} | ${median(stalls).toFixed(1)} | ${Math.max(...stalls).toFixed(1)} | ${Math.max(...results.map((r) => r.longestCpuStallMs)).toFixed(1)} | ${results.reduce((n, r) => n + r.pongs, 0)} | ${rssMB.toFixed(0)} |`,
  );
}
