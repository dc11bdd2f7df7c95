import { fileURLToPath } from 'node:url';
import { runNodeFixture } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';

// What a metric keeps per series, measured in a plain Node process with --expose-gc on the
// built dist/: 20 000 series, 3 labels, a fresh route string per series (40 B of each
// figure). A typed array costs V8 ~200 B besides its numbers, so a series must not hold
// one of its own where it can do without.

const fixture = fileURLToPath(new URL('./fixtures/metric-memory.mjs', import.meta.url));
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

async function bytesPerSeries(kind: string): Promise<number> {
  const measured = await runNodeFixture<{ series: number; made: number }>(
    fixture,
    entry,
    [kind, '20000'],
    ['--expose-gc'],
  );
  expect(measured.series).toBe(20_000);
  return measured.made;
}

describe('memory per series', () => {
  // With an object per series holding its own `Float64Array` of counts: 570 B; with every
  // series' row (15 counts, sum, count: 136 B) in one shared array: 278 B.
  it('a histogram keeps under 350 B: rows in shared columns, not an array per series', async () => {
    expect(await bytesPerSeries('histogram')).toBeLessThan(350);
  }, 60_000);

  // Native buckets only, 5 positive observations: with both signs' bucket slots and counts
  // made up front, 1 344 B; made with a sign's first bucket (the negative side never), 849 B;
  // with the counts in a plain array of doubles instead of a `Float64Array`, 708 B.
  it('a native histogram keeps under 780 B: no storage for a sign without buckets, no typed array', async () => {
    expect(await bytesPerSeries('native-histogram')).toBeLessThan(780);
  }, 60_000);

  // Default quantiles, 5 age buckets, 10 observations not yet merged: with each of the 5
  // quantile streams' sample arrays made up front, 3 997 B; made at their first merge,
  // 1 157 B; with the observations buffered in a plain array of doubles instead of a
  // `Float64Array`, 1 020 B; with one stream object for the five until they differ, 730 B.
  it('a windowed summary keeps under 900 B before its first merge: no typed array, one stream', async () => {
    expect(await bytesPerSeries('window-summary')).toBeLessThan(900);
  }, 60_000);

  // The same after one scrape merged the observations: with each stream's samples in a
  // `Float64Array`, 4 083 B; in a plain array of doubles, 3 388 B (3 260 B with the buffer
  // one too); with the five age buckets sharing one stream until a rotation sets them
  // apart (a series younger than its window), 1 590 B.
  it('a windowed summary keeps under 2 000 B once scraped: its age buckets share one stream while equal', async () => {
    expect(await bytesPerSeries('window-summary-scraped')).toBeLessThan(2000);
  }, 60_000);
});
