import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CkmsStream, type Invariant } from '../src/metrics/ckms';
import { ReferenceCkmsStream } from './helpers/reference-ckms';

const AIOPROMETHEUS: readonly Invariant[] = [
  [0.5, 0.05],
  [0.9, 0.01],
  [0.99, 0.001],
];
const PROBES = [...Array.from({ length: 101 }, (_, i) => i / 100), 0.995, 0.999, 0.9999];

/** Feeds both streams the same batches (each sorted, as the summary does). */
function feed(streams: Array<CkmsStream | ReferenceCkmsStream>, batches: number[][]): void {
  for (const batch of batches) {
    const sorted = Float64Array.from(batch).sort();
    for (const s of streams) s.insertSorted(sorted, sorted.length);
  }
}

/** Every retained (value, width, delta), read from each implementation's private arrays. */
function samplesOf(s: CkmsStream | ReferenceCkmsStream): number[][] {
  if (s instanceof ReferenceCkmsStream) {
    const r = s as unknown as { values: number[]; widths: number[]; deltas: number[] };
    return r.values.map((v, i) => [v, r.widths[i]!, r.deltas[i]!]);
  }
  const m = s as unknown as { samples: number[]; length: number };
  return Array.from({ length: m.length }, (_, i) => m.samples.slice(3 * i, 3 * i + 3));
}

function answers(s: CkmsStream | ReferenceCkmsStream): number[] {
  return PROBES.map((q) => s.query(q));
}

describe('CkmsStream (one-pass merge)', () => {
  it('gives exactly the reference stream’s samples over random batches (property)', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, min: -1e9, max: 1e9 }),
      fc.integer({ min: 0, max: 20 }), // many ties
      fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(value, { minLength: 0, maxLength: 700 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom<readonly Invariant[]>(
          AIOPROMETHEUS,
          [[0.5, 0.01]],
          [
            [0.1, 0.02],
            [0.5, 0.05],
            [0.999, 0.0001],
          ],
        ),
        (batches, invariants) => {
          const mine = new CkmsStream(invariants);
          const reference = new ReferenceCkmsStream(invariants);
          feed([mine, reference], batches);
          expect(mine.n).toBe(reference.n);
          expect(samplesOf(mine)).toEqual(samplesOf(reference));
          expect(answers(mine)).toEqual(answers(reference));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('matches the reference over a long skewed stream, batch by batch', () => {
    const mine = new CkmsStream(AIOPROMETHEUS);
    const reference = new ReferenceCkmsStream(AIOPROMETHEUS);
    let seed = 7;
    for (let b = 0; b < 400; b++) {
      const batch: number[] = [];
      for (let i = 0; i < 512; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        const u = seed / 2 ** 32;
        batch.push(u * u * u * 3);
      }
      feed([mine, reference], [batch]);
      expect(samplesOf(mine)).toEqual(samplesOf(reference));
      expect(answers(mine)).toEqual(answers(reference));
    }
  });

  it('starts again after reset, reusing its arrays', () => {
    const mine = new CkmsStream(AIOPROMETHEUS);
    feed([mine], [Array.from({ length: 2000 }, (_, i) => i)]);
    mine.reset();
    expect(mine.n).toBe(0);
    expect(mine.query(0.5)).toBeNaN();
    const reference = new ReferenceCkmsStream(AIOPROMETHEUS);
    feed(
      [mine, reference],
      [
        [5, 3, 1],
        [2, 2, 9],
      ],
    );
    expect(answers(mine)).toEqual(answers(reference));
  });
});
