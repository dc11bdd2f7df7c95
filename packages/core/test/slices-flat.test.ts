import { getHeapSnapshot } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { encodeSlices, SLICE_END } from '../src/exposition/slices';
import { Histogram } from '../src/metrics/histogram';
import { Summary } from '../src/metrics/summary';
import type { SnapshotFamily } from '../src/snapshot';

/**
 * A page's slices wait in memory until the last one is written (`render` joins them).
 * Each must be one flat string by then: left as ropes (a node per piece of every line,
 * ~4 per line) they outlive the scavenges of a large page and are promoted with it,
 * which made a 10 000-series histogram page take 3× as long in text (bench/README.md).
 * Counted in a heap snapshot: V8 lists ropes as "concatenated string" nodes.
 */

async function ropeNodes(hold: unknown): Promise<number> {
  const chunks: string[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(String(chunk));
  const snapshot = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
  };
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const width = fields.length;
  const cons = types[0].indexOf('concatenated string');
  let count = 0;
  for (let i = 0; i < snapshot.nodes.length; i += width) if (snapshot.nodes[i] === cons) count++;
  if (hold === undefined) count = -1;
  return count;
}

function slicesOf(family: SnapshotFamily, format: 'text' | 'openmetrics'): string[] {
  const pieces: string[] = [];
  for (const piece of encodeSlices([family], format)) {
    if (piece !== SLICE_END && typeof piece === 'string') pieces.push(piece);
  }
  return pieces;
}

describe('the slices of a page', () => {
  it('are flat strings: histograms and summaries, text and OpenMetrics', async () => {
    const histogram = new Histogram('flat_seconds', 'H.', {
      registry: null,
      labelNames: ['path'] as const,
      buckets: [0.1, 1, 10],
    });
    const summary = new Summary('flat_size_bytes', 'S.', {
      registry: null,
      labelNames: ['path'] as const,
    });
    for (let i = 0; i < 500; i++) {
      histogram.observe({ path: `/items/${i}` }, i / 100);
      summary.observe({ path: `/items/${i}` }, i);
    }
    const baseline = await ropeNodes(true);
    const held: string[][] = [];
    for (const metric of [histogram, summary]) {
      for (const format of ['text', 'openmetrics'] as const) {
        held.push(slicesOf(metric.snapshotFamily(), format));
      }
    }
    // About one node per slice (a rope flattened in place stays a node over its copy),
    // where ropes would hold a few per line. Counted first: reading a string flattens it.
    const slices = held.flat().length;
    const ropes = (await ropeNodes(held)) - baseline;
    const lines = held.flat().reduce((n, s) => n + s.split('\n').length, 0);
    expect(lines).toBeGreaterThan(10_000);
    expect(ropes).toBeLessThan(2 * slices);
  }, 60_000);
});
