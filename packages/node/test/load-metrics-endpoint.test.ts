// The metrics endpoint under load and over time, bounded to run in CI:
// - autocannon on loopback for 5 s against a Service exposing 10 000 changing series:
//   every answer must be a 200, no error or timeout; scrapes/s and p99 latency are printed
//   (figures, not assertions: two cores shared with the load generator vary a lot);
// - a soak in a child `node --expose-gc`: 600 scrapes (ten minutes of a 1 s scrape
//   interval) over loopback in every format, gzipped or not, with a burst of updates and
//   100 series replaced by new label values before each (66 000 label sets come and go); the heap used after a full GC must
//   not grow by more than 10 MB from the start to the end.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const LOAD_SECONDS = 5;
const CONNECTIONS = 8;
const SOAK_SCRAPES = 600;
const MAX_HEAP_GROWTH = 10 * 1024 * 1024;

let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promkit-load-'));
  await build({
    entry: {
      'ten-thousand-series': join(import.meta.dirname, 'fixtures', 'ten-thousand-series.ts'),
    },
    outDir: dir,
    format: ['esm'],
    target: 'node20',
    noExternal: [/.*/],
    dts: false,
    sourcemap: false,
    silent: true,
    config: false,
  });
  script = join(dir, 'ten-thousand-series.js');
});

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** Starts the fixture and resolves with the child and its first stdout line, parsed. */
async function startFixture<T>(
  args: string[],
  flags: string[] = [],
): Promise<{ child: ChildProcess; first: T }> {
  const child = spawn(process.execPath, [...flags, script, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const first = await new Promise<T>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const newline = out.indexOf('\n');
      if (newline !== -1) resolve(JSON.parse(out.slice(0, newline)) as T);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code}: ${out}`)));
  });
  return { child, first };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

describe('/metrics of a Service with 10 000 series', () => {
  it(`answers ${CONNECTIONS} concurrent scrapers for ${LOAD_SECONDS} s with nothing but 200s`, async () => {
    const { child, first } = await startFixture<{ url: string }>(['serve']);
    try {
      // Series as Prometheus counts them: one per sample line (5 000 counter series, 3 600
      // gauges, 100 histograms of 11 buckets + +Inf + _sum + _count).
      const page = await (await fetch(first.url)).text();
      const series = page.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
      expect(series).toBe(10_000);
      const result = await autocannon({
        url: first.url,
        connections: CONNECTIONS,
        duration: LOAD_SECONDS,
        timeout: 10,
      });
      console.log(
        `[load] ${series} series (${mb(page.length)} of text), ${CONNECTIONS} connections, ${LOAD_SECONDS} s: ` +
          `${result.requests.average.toFixed(1)} scrapes/s, p50 ${result.latency.p50} ms, ` +
          `p99 ${result.latency.p99} ms, max ${result.latency.max} ms, ` +
          `${mb(result.throughput.average)}/s, ${result.requests.total} scrapes`,
      );
      expect(result.requests.total).toBeGreaterThan(0);
      expect(result['2xx']).toBe(result.requests.total);
      expect(result.non2xx).toBe(0);
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }, 60_000);

  it(`keeps the heap flat over ${SOAK_SCRAPES} scrapes with updates and series churn`, async () => {
    const { child, first } = await startFixture<{
      scrapes: number;
      seconds: number;
      start: number;
      end: number;
      growth: number;
      seriesNow: number;
      replaced: number;
      replacedPerUpdate: number;
      slowestUpdateMs: number;
      bytes: number;
    }>(['soak', String(SOAK_SCRAPES)], ['--expose-gc']);
    if (child.exitCode === null) await once(child, 'exit');
    console.log(
      `[soak] ${first.scrapes} scrapes in ${first.seconds.toFixed(1)} s ` +
        `(${mb(first.bytes)} served), ${first.replaced} series replaced by new label sets: ` +
        `heap after GC ${mb(first.start)} → ${mb(first.end)} (growth ${mb(first.growth)}); ` +
        `slowest burst of 500 updates + ${first.replacedPerUpdate} replacements ${first.slowestUpdateMs.toFixed(1)} ms`,
    );
    expect(first.scrapes).toBe(SOAK_SCRAPES);
    expect(first.seriesNow).toBe(5_000 + 3_600 + 100);
    expect(first.growth).toBeLessThan(MAX_HEAP_GROWTH);
  }, 120_000);
});
