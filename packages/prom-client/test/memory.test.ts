import { fileURLToPath } from 'node:url';
import { runNodeFixture } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';

// What a counter keeps per series, measured in a plain Node process with --expose-gc on
// the built dist/. 20 000 series, 3 labels, a fresh route string per series (holding it is
// ~56 B of the figure). Before the tail of the store kept its one series itself and the
// cached label text was one flat string, the figures were 400 B made and 735 B after a
// scrape (a `Map` per method + route, and a rope of 13 nodes per cached text); prom-client
// 15 keeps 253 and 278 B here.

const fixture = fileURLToPath(new URL('./fixtures/memory-per-series.mjs', import.meta.url));
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('memory per series', () => {
  it('stays under 300 B once made and 400 B after a scrape caches its label text', async () => {
    const measured = await runNodeFixture<{ lines: number; made: number; scraped: number }>(
      fixture,
      entry,
      ['20000'],
      ['--expose-gc'],
    );
    expect(measured.lines).toBe(20_003);
    expect(measured.made).toBeLessThan(300);
    expect(measured.scraped).toBeLessThan(400);
  }, 60_000);

  // A histogram series (default buckets, one observation) whose counts were a
  // `Float64Array` of its own kept 563 B made and 636 B after a scrape here; with a plain
  // array of numbers, 432 and 507 B (prom-client 15: 585 and 691 B).
  it('a histogram series keeps its bucket counts in a plain array: under 480 B made', async () => {
    const measured = await runNodeFixture<{ lines: number; made: number; scraped: number }>(
      fixture,
      entry,
      ['20000', 'histogram'],
      ['--expose-gc'],
    );
    expect(measured.lines).toBe(20_000 * 14 + 3);
    expect(measured.made).toBeLessThan(480);
  }, 60_000);

  // A summary with a sliding window, 10 observations per series (all before the first
  // bucket expires): with a t-digest per age bucket, each taking every value, 9 280 B made;
  // with the buckets sharing one digest while they hold the same values, 2 230 B
  // (prom-client 15: 2 270 B, whose ring starts as one digest filled into every slot).
  it('a windowed summary series keeps one t-digest while its age buckets agree: under 3 000 B', async () => {
    const measured = await runNodeFixture<{ lines: number; made: number; scraped: number }>(
      fixture,
      entry,
      ['5000', 'window-summary'],
      ['--expose-gc'],
    );
    expect(measured.lines).toBe(5_000 * 9 + 3);
    expect(measured.made).toBeLessThan(3000);
  }, 60_000);
});
