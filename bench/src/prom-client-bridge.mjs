/**
 * One counter made through `@promkit/prom-client` (its global registry, which is linked to
 * promkit's default registry) scraped three ways, median ms per scrape over `--renders`
 * (the page read once, so it is flat like a page written to a socket): through a promkit
 * endpoint (`render(REGISTRY)`, the bridge), as prom-client's text (`register.metrics()`),
 * and the same counter made with `@promkit/core` and rendered directly.
 * `node src/prom-client-bridge.mjs --series 10000 --renders 300 --runs 3`
 */
import { parseArgs } from 'node:util';
import { Counter, REGISTRY, Registry, render } from '@promkit/core';
import client from '@promkit/prom-client';
import { scrapeLabels } from './micro/fixtures.mjs';

const { values } = parseArgs({
  options: {
    series: { type: 'string', default: '10000' },
    renders: { type: 'string', default: '300' },
    runs: { type: 'string', default: '3' },
  },
});
const series = Number(values.series);
const renders = Number(values.renders);

const bridged = new client.Counter({
  name: 'bench_scrape_0_total',
  help: 'Scrape benchmark counter.',
  labelNames: ['path', 'code'],
});
const direct = new Registry();
const native = new Counter('bench_scrape_0_total', 'Scrape benchmark counter.', {
  labelNames: ['path', 'code'],
  registry: direct,
  maxSeries: series,
});
for (let k = 0; k < series; k++) {
  bridged.inc(scrapeLabels(k), k + 1);
  native.inc(scrapeLabels(k), k + 1);
}
const bridgePage = (await render(REGISTRY)).body;
if (bridgePage !== (await render(direct)).body) {
  throw new Error('the bridged page differs from the same counter made with @promkit/core');
}

/** Median ms of `renders` scrapes by `scrape` (after a warm-up), each page read once. */
async function medianMs(scrape) {
  for (let i = 0; i < 30; i++) (await scrape()).charCodeAt(0);
  const times = [];
  for (let i = 0; i < renders; i++) {
    const start = performance.now();
    (await scrape()).charCodeAt(0);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1].toFixed(3);
}

for (let run = 0; run < Number(values.runs); run++) {
  const through = await medianMs(async () => (await render(REGISTRY)).body);
  const text = await medianMs(() => client.register.metrics());
  const own = await medianMs(async () => (await render(direct)).body);
  console.log(
    `${series} series: through a promkit endpoint ${through} ms, register.metrics() ${text} ms, @promkit/core ${own} ms`,
  );
}
