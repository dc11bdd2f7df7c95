import { fileURLToPath } from 'node:url';
import { runNodeFixture } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';

// What a histogram keeps per series, measured in a plain Node process with --expose-gc on
// the built dist/: 20 000 series, 3 labels (a fresh route string per series), the default
// 14 bounds, one observation each. With an object per series holding its own
// `Float64Array` of counts: 570 B here; with every series' row in one shared array
// (15 counts, sum, count: 136 B): 279 B, the route string 40 B of it.

const fixture = fileURLToPath(new URL('./fixtures/histogram-memory.mjs', import.meta.url));
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('a histogram', () => {
  it('keeps under 350 B per series: rows in shared columns, not an array per series', async () => {
    const measured = await runNodeFixture<{ series: number; made: number }>(
      fixture,
      entry,
      ['20000'],
      ['--expose-gc'],
    );
    expect(measured.series).toBe(20_000);
    expect(measured.made).toBeLessThan(350);
  }, 60_000);
});
