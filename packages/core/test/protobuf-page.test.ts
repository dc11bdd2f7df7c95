import { describe, expect, it } from 'vitest';
import { concatBytes } from '../src/concat-bytes';
import { PROTOBUF_FORMAT } from '../src/exposition/negotiate';
import { ProtobufPage } from '../src/exposition/protobuf-page';
import { encode, render, renderStream } from '../src/exposition/render';
import { encodeSlices, SLICE_END } from '../src/exposition/slices';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import { Histogram } from '../src/metrics/histogram';
import { Registry } from '../src/registry';

const ACCEPT = PROTOBUF_FORMAT.contentType;

function bytesOf(length: number, seed: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);
}

function registryOf(series: number) {
  const registry = new Registry();
  const counter = new Counter('req_total', 'Requests.', {
    labelNames: ['method', 'path', 'code'] as const,
    registry,
    maxSeries: 2 * series,
  });
  for (let i = 0; i < series; i++) {
    counter.inc({ method: ['GET', 'PUT'][i % 2]!, path: `/p/${i}`, code: `${200 + (i % 3)}` }, i);
  }
  const gauge = new Gauge('queue', 'Queue.', { labelNames: ['name'] as const, registry });
  gauge.set({ name: 'a' }, 1);
  const histogram = new Histogram('lat_seconds', 'Latency.', {
    labelNames: ['k'] as const,
    buckets: [0.1, 1],
    registry,
  });
  for (let i = 0; i < 300; i++) histogram.observe({ k: `${i}` }, i / 100);
  return { registry, counter };
}

async function readChunks(stream: ReadableStream<Uint8Array>): Promise<Uint8Array[]> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('ProtobufPage', () => {
  for (const keep of [true, false]) {
    it(`${keep ? 'keeping' : 'streaming'}: a family's start goes before its fields; what was handed out never changes`, () => {
      const page = new ProtobufPage(keep);
      const expected: Uint8Array[] = [];
      const released: Array<[Uint8Array, string]> = [];
      // Families of growing size, well past the first buffer.
      for (let f = 0; f < 12; f++) {
        page.open();
        const slices = Array.from({ length: f + 1 }, (_, s) => bytesOf(700 * f + 13 * s + 1, f));
        const scratch = new Uint8Array(20_000);
        for (const slice of slices) {
          // Appended from a reused buffer, overwritten right after, as a writer does.
          scratch.set(slice);
          page.append(scratch.subarray(0, slice.byteLength));
          scratch.fill(0xee);
        }
        const fields = concatBytes(slices.map((s) => s.slice()));
        expect(page.held).toBe(fields.byteLength);
        const start = bytesOf(3 + f, 100 + f);
        page.close(start);
        expected.push(start, fields);
        let left = start.byteLength + fields.byteLength;
        while (left > 0) {
          const length = Math.min(left, 5000);
          const view = page.release(length);
          released.push([view, hex(view)]);
          left -= length;
        }
      }
      const whole = hex(concatBytes(expected.map((b) => b.slice())));
      for (const [view, was] of released) expect(hex(view)).toBe(was);
      expect(released.map(([, was]) => was).join('')).toBe(whole);
      if (keep) expect(hex(page.view())).toBe(whole);
    });
  }

  it('concatBytes: adjacent views of one buffer as one view, anything else copied', () => {
    const bytes = bytesOf(100, 3);
    const joined = concatBytes([
      bytes.subarray(10, 20),
      bytes.subarray(20, 50),
      bytes.subarray(50),
    ]);
    expect(joined.buffer).toBe(bytes.buffer);
    expect(joined.byteOffset).toBe(10);
    expect(hex(joined)).toBe(hex(bytes.subarray(10)));
    const gap = concatBytes([bytes.subarray(0, 10), bytes.subarray(11, 20)]);
    expect(gap.buffer).not.toBe(bytes.buffer);
    expect(hex(gap)).toBe(hex(bytes.subarray(0, 10)) + hex(bytes.subarray(11, 20)));
    const other = bytesOf(5, 4);
    const two = concatBytes([bytes.subarray(0, 5), other]);
    expect(hex(two)).toBe(hex(bytes.subarray(0, 5)) + hex(other));
    expect(concatBytes([]).byteLength).toBe(0);
  });
});

describe('protobuf pages handed out', () => {
  it('render: an earlier body is not overwritten by later renders', async () => {
    const { registry, counter } = registryOf(3000);
    const first = (await render(registry, ACCEPT)).body as Uint8Array;
    const firstHex = hex(first);
    expect(firstHex).toBe(hex(encode(await registry.collect(), 'protobuf') as Uint8Array));
    for (let i = 0; i < 3000; i++) counter.inc({ method: 'GET', path: `/q/${i}`, code: '500' }, 7);
    const second = (await render(registry, ACCEPT)).body as Uint8Array;
    expect(hex(second)).toBe(hex(encode(await registry.collect(), 'protobuf') as Uint8Array));
    expect(second.byteLength).toBeGreaterThan(first.byteLength);
    expect(hex(first)).toBe(firstHex);
  });

  it('renderStream: chunks that stay as they were, whatever is read after', async () => {
    const { registry, counter } = registryOf(5000);
    const expected = hex(encode(await registry.collect(), 'protobuf') as Uint8Array);
    const chunks = await readChunks((await renderStream(registry, ACCEPT)).body);
    const copies = chunks.map(hex);
    expect(copies.join('')).toBe(expected);
    // Another stream and a render of a changed registry, read while the first chunks live.
    counter.reset();
    const again = await readChunks((await renderStream(registry, ACCEPT)).body);
    await render(registry, ACCEPT);
    expect(chunks.map(hex)).toEqual(copies);
    expect(hex(concatBytes(again))).toBe(
      hex(encode(await registry.collect(), 'protobuf') as Uint8Array),
    );
  });

  it('encodeSlices: every byte piece stays as it was while later ones are written', async () => {
    const { registry } = registryOf(4000);
    const pieces: Array<[Uint8Array, string]> = [];
    for (const piece of encodeSlices(await registry.snapshot(), 'protobuf', {}, 64)) {
      if (piece !== SLICE_END && typeof piece !== 'string') pieces.push([piece, hex(piece)]);
    }
    for (const [piece, was] of pieces) expect(hex(piece)).toBe(was);
    expect(pieces.map(([, was]) => was).join('')).toBe(
      hex(encode(await registry.collect(), 'protobuf') as Uint8Array),
    );
  });
});
