import { decodeProtobuf } from '@promkit/testkit';
import { describe, expect, it, vi } from 'vitest';
import { PROTOBUF_FORMAT } from '../src/exposition/negotiate';
import { encode, render, renderStream } from '../src/exposition/render';
import {
  encodeSlices,
  FAST_SLICE_MS,
  MAX_SLICE_SAMPLES,
  SLICE_END,
  SLICE_SAMPLES,
  TURN_SAMPLES,
  TurnPacer,
} from '../src/exposition/slices';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import { Histogram } from '../src/metrics/histogram';
import { Summary, SummaryChild } from '../src/metrics/summary';
import { Registry } from '../src/registry';
import { richFamilies } from './exposition-fixtures';

const SERIES = 20_000;
const FORMATS = ['text', 'openmetrics', 'protobuf'] as const;
const ACCEPT = {
  text: 'text/plain;version=0.0.4',
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  protobuf: PROTOBUF_FORMAT.contentType,
} as const;

function bigRegistry(): { registry: Registry; counter: Counter<'route' | 'id'> } {
  const registry = new Registry();
  const counter = new Counter('big_total', 'Many series.', {
    labelNames: ['route', 'id'] as const,
    registry,
    maxSeries: SERIES + 10,
  });
  for (let i = 0; i < SERIES; i++) counter.inc({ route: `/r${i % 100}`, id: `${i}` }, i);
  const gauge = new Gauge('small', 'A few.', { labelNames: ['k'] as const, registry });
  gauge.set({ k: 'a' }, 1);
  const histogram = new Histogram('lat_seconds', 'Latency.', {
    labelNames: ['k'] as const,
    buckets: [0.1, 1],
    registry,
  });
  for (let i = 0; i < 1000; i++) histogram.observe({ k: `${i}` }, 0.5);
  return { registry, counter };
}

/** The page as a string (protobuf as base64): deep-comparing big byte arrays is slow. */
function joined(pieces: Array<string | Uint8Array>): string {
  if (pieces.every((p) => typeof p === 'string')) return pieces.join('');
  return Buffer.concat(pieces as Uint8Array[]).toString('base64');
}

function asString(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body).toString('base64');
}

describe('sliced encoding', () => {
  const { registry } = bigRegistry();

  for (const format of FORMATS) {
    it(`${format}: at most ${SLICE_SAMPLES} samples between two yield points, same page as encode()`, async () => {
      const snapshot = await registry.snapshot();
      const pieces: Array<string | Uint8Array> = [];
      let yields = 0;
      let sinceYield = 0;
      let most = 0;
      let bytesSinceYield = 0;
      let mostBytes = 0;
      for (const piece of encodeSlices(snapshot, format)) {
        if (piece === SLICE_END) {
          yields++;
          most = Math.max(most, sinceYield);
          mostBytes = Math.max(mostBytes, bytesSinceYield);
          sinceYield = 0;
          bytesSinceYield = 0;
          continue;
        }
        pieces.push(piece);
        // Text formats: one sample per line (headers are a few lines per family).
        if (typeof piece === 'string') sinceYield += piece.split('\n').length - 1;
        else bytesSinceYield += piece.byteLength;
      }
      most = Math.max(most, sinceYield);
      mostBytes = Math.max(mostBytes, bytesSinceYield);
      if (format === 'protobuf') {
        // A family's bytes are held until its length is known, then handed on one slice
        // at a time (the 20k-series family is ~1 MB; a slice of 256 series ~12 KB).
        expect(mostBytes).toBeLessThan(32 * 1024);
      }
      // 20k counter samples + 1000 histograms of 5 samples + a few: ~25k samples.
      expect(yields).toBeGreaterThanOrEqual(Math.floor(25_000 / SLICE_SAMPLES));
      if (format !== 'protobuf') {
        // Family headers (a few lines) ride along with the samples of a slice.
        expect(most).toBeLessThanOrEqual(SLICE_SAMPLES + 16);
      }
      expect(joined(pieces)).toBe(asString(encode(await registry.collect(), format)));
    });
  }

  it('weighs a histogram by its samples: a slice holds fewer histogram series than counters', () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({
      labels: { k: `${i}` },
      value: { bounds: [1, 2, 3], counts: [1, 0, 0, 0], count: 1, sum: 1 },
    }));
    const family = { name: 'h', help: 'h', type: 'histogram' as const, points };
    const slices: string[] = [];
    for (const piece of encodeSlices([family], 'text', {}, 600)) {
      if (piece !== SLICE_END && typeof piece === 'string' && piece.includes('h_count')) {
        slices.push(piece);
      }
    }
    // 6 samples per series (4 buckets, sum, count): 100 series per 600-sample slice.
    expect(slices.map((s) => s.split('h_count').length - 1)).toEqual(Array(10).fill(100));
  });

  it('encodes the rich fixtures identically, sliced or not', () => {
    for (const format of FORMATS) {
      const pieces = [...encodeSlices(richFamilies(), format, {}, 3)].filter(
        (p) => p !== SLICE_END,
      );
      expect(joined(pieces as Array<string | Uint8Array>)).toBe(
        asString(encode(richFamilies(), format)),
      );
    }
  });
});

/** Counts the event loop's turns (a `setImmediate` chain) until `stop()`, which returns them. */
function countTurns(): { stop(): number } {
  let ran = 0;
  let stopped = false;
  const tick = (): void => {
    ran++;
    if (!stopped) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      stopped = true;
      return ran;
    },
  };
}

describe('TurnPacer', () => {
  it('ends a turn once the time budget is spent, whatever the sample count', () => {
    let now = 100;
    const pacer = new TurnPacer(() => now, 4, 1_000_000, 1);
    expect(pacer.due()).toBe(false);
    now += 3.9;
    expect(pacer.due()).toBe(false);
    now += 0.1;
    expect(pacer.due()).toBe(true);
    pacer.restart();
    expect(pacer.due()).toBe(false);
  });

  it('ends a turn after the sample cap when the clock stands still (Workers), counting samples', () => {
    const pacer = new TurnPacer(() => 0, 4, TURN_SAMPLES);
    const sizes: number[] = [];
    const dues: boolean[] = [];
    for (let i = 0; i < 11; i++) {
      sizes.push(pacer.sliceSamples);
      dues.push(pacer.due());
    }
    // Time stands still, so every slice is "fast": 256, 512, then 1024 a slice.
    expect(sizes).toEqual([256, 512, ...Array(9).fill(MAX_SLICE_SAMPLES)]);
    // 256 + 512 + 8 × 1024 = 8960 samples reach the 8192 cap at the tenth slice.
    expect(dues).toEqual([...Array(9).fill(false), true, true]);
    pacer.restart();
    // The slices keep their size; the count starts again.
    expect(pacer.sliceSamples).toBe(MAX_SLICE_SAMPLES);
    expect(Array.from({ length: 8 }, () => pacer.due())).toEqual([...Array(7).fill(false), true]);
  });

  it('grows slices while they run fast and shrinks them after slow ones', () => {
    let now = 0;
    const pacer = new TurnPacer(() => now, 1_000, 1_000_000);
    const slice = (ms: number): number => {
      now += ms;
      pacer.due();
      return pacer.sliceSamples;
    };
    expect(pacer.sliceSamples).toBe(SLICE_SAMPLES);
    const fast = FAST_SLICE_MS / 2;
    expect([slice(fast), slice(fast), slice(fast)]).toEqual([512, 1024, 1024]);
    // Neither fast nor slow: the size stays.
    expect(slice(FAST_SLICE_MS * 2)).toBe(1024);
    // Slow (a cold scrape, an expensive collector): back down, never below the start.
    const slow = FAST_SLICE_MS * 8;
    expect([slice(slow), slice(slow), slice(slow)]).toEqual([512, 256, 256]);
  });

  it('encodeSlices reads the size of each slice from the pacer as it starts it', async () => {
    const { registry } = bigRegistry();
    const pacer = new TurnPacer(() => 0, 1_000, 1_000_000);
    const lines: number[] = [];
    const pieces: string[] = [];
    let since = 0;
    for (const piece of encodeSlices(await registry.snapshot(), 'text', {}, pacer)) {
      if (piece === SLICE_END) {
        lines.push(since);
        since = 0;
        pacer.due();
      } else {
        pieces.push(piece as string);
        since += (piece as string).split('\n').length - 1;
      }
    }
    // Family headers (a few lines) ride along with the samples of a slice.
    expect(lines[0]).toBeGreaterThanOrEqual(SLICE_SAMPLES);
    expect(lines[0]).toBeLessThanOrEqual(SLICE_SAMPLES + 16);
    expect(lines[1]).toBeLessThanOrEqual(2 * SLICE_SAMPLES + 16);
    expect(Math.max(...lines)).toBeGreaterThan(2 * SLICE_SAMPLES + 16);
    expect(Math.max(...lines)).toBeLessThanOrEqual(MAX_SLICE_SAMPLES + 16);
    expect(pieces.join('')).toBe(encode(await registry.collect(), 'text'));
  });
});

describe('render', () => {
  it('lets other work run while it renders a large page', async () => {
    const { registry } = bigRegistry();
    const turns = countTurns();
    const page = await render(registry, ACCEPT.text);
    expect((page.body as string).length).toBeGreaterThan(500_000);
    // The sample cap alone forces a yield every TURN_SAMPLES; slower code yields more.
    expect(turns.stop()).toBeGreaterThanOrEqual(Math.floor(SERIES / TURN_SAMPLES));
  });

  for (const format of FORMATS) {
    it(`${format}: a streamed page lets the event loop run between chunks, however fast it is read`, async () => {
      const { registry } = bigRegistry();
      const streamed = await renderStream(registry, ACCEPT[format]);
      const turns = countTurns();
      // A reader that asks for the next chunk from a promise callback, as a pipe into a
      // socket that takes every write does: nothing here gives the event loop a turn.
      const reader = streamed.body.getReader();
      let chunks = 0;
      for (let read = await reader.read(); !read.done; read = await reader.read()) chunks++;
      const ran = turns.stop();
      // Protobuf may send its held families as one chunk; the turns between still yield.
      expect(chunks).toBeGreaterThanOrEqual(format === 'protobuf' ? 1 : 2);
      expect(ran).toBeGreaterThanOrEqual(Math.floor(SERIES / TURN_SAMPLES));
    });
  }

  it('renders from one snapshot: updates made while it yields are not in the page', async () => {
    const { registry, counter } = bigRegistry();
    const expected = encode(await registry.collect(), 'text');
    const rendering = render(registry, ACCEPT.text);
    let updates = 0;
    const update = (): void => {
      counter.inc({ route: '/r1', id: '1' }, 1000);
      counter.remove({ route: '/r2', id: '2' });
      counter.inc({ route: '/new', id: `${updates}` });
      if (++updates < 50) setImmediate(update);
    };
    setImmediate(update);
    const page = await rendering;
    expect(updates).toBeGreaterThan(0);
    expect(page.body).toBe(expected);
  });

  it('renders histograms from one snapshot too: classic, native and exemplars', async () => {
    const registry = new Registry();
    const histogram = new Histogram('lat_seconds', 'Latency.', {
      labelNames: ['id'] as const,
      buckets: [0.1, 1],
      native: true,
      registry,
      maxSeries: SERIES + 10,
    });
    for (let i = 0; i < SERIES / 2; i++) histogram.observe({ id: `${i}` }, (i % 7) / 3);
    histogram.observeWithExemplar({ id: '3' }, 0.5, { trace_id: 'abc' });
    const nativeOnly = new Histogram('size_bytes', 'Sizes.', { native: true, registry });
    nativeOnly.observe(12);
    for (const format of FORMATS) {
      const expected = asString(encode(await registry.collect(), format));
      const rendering = render(registry, ACCEPT[format]);
      let updates = 0;
      const update = (): void => {
        histogram.observe({ id: '1' }, 0.05);
        histogram.remove({ id: '2' });
        histogram.observe({ id: `new${updates}` }, 5);
        nativeOnly.observe(100);
        if (++updates < 50) setImmediate(update);
      };
      setImmediate(update);
      const page = await rendering;
      expect(updates).toBeGreaterThan(0);
      expect(asString(page.body)).toBe(expected);
      histogram.reset();
      for (let i = 0; i < SERIES / 2; i++) histogram.observe({ id: `${i}` }, (i % 7) / 3);
      histogram.observeWithExemplar({ id: '3' }, 0.5, { trace_id: 'abc' });
    }
  });

  it('shares one snapshot between concurrent scrapes', async () => {
    const { registry } = bigRegistry();
    expect(registry.snapshot()).toBe(registry.snapshot());
    const [a, b] = await Promise.all([
      render(registry, ACCEPT.text),
      (async () => {
        await new Promise((resolve) => setImmediate(resolve));
        return render(registry, ACCEPT.text);
      })(),
    ]);
    expect(a.body).toBe(b.body);
  });

  for (const format of FORMATS) {
    it(`${format}: renderStream gives the bytes render gives, in slices`, async () => {
      const { registry } = bigRegistry();
      const whole = await render(registry, ACCEPT[format]);
      const streamed = await renderStream(registry, ACCEPT[format]);
      expect(streamed.contentType).toBe(whole.contentType);
      const chunks: Uint8Array[] = [];
      const reader = streamed.body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        chunks.push(read.value);
      }
      // Text: one chunk per turn. Protobuf holds a family until its length is known, so
      // how many chunks it makes depends on where turns end (time or sample cap).
      if (format !== 'protobuf') {
        expect(chunks.length).toBeGreaterThanOrEqual(Math.floor(SERIES / TURN_SAMPLES));
      }
      const bytes = Buffer.concat(chunks);
      expect(Buffer.compare(bytes, Buffer.from(whole.body))).toBe(0);
      if (format === 'protobuf') {
        const names = decodeProtobuf(new Uint8Array(bytes)).map((f) => f.name);
        expect(names).toEqual(['big_total', 'small', 'lat_seconds']);
      }
    });
  }
});

describe('summaries', () => {
  function summaryRegistry(): { registry: Registry; summary: Summary<'id'> } {
    const registry = new Registry();
    const summary = new Summary('work_seconds', 'Work.', {
      labelNames: ['id'] as const,
      registry,
      maxSeries: 5000,
    });
    // Observations stay buffered until a read merges them into the quantile streams.
    for (let i = 0; i < 4000; i++) {
      for (let k = 0; k < 20; k++) summary.observe({ id: `${i}` }, ((i * 31 + k * 7) % 100) / 10);
    }
    return { registry, summary };
  }

  it('a snapshot reads no quantiles: each series is read when its slice is written', async () => {
    const { registry } = summaryRegistry();
    const reads = vi.spyOn(SummaryChild.prototype, 'quantiles');
    try {
      const snapshot = await registry.snapshot();
      expect(reads).toHaveBeenCalledTimes(0);
      let slices = 0;
      for (const piece of encodeSlices(snapshot, 'text')) {
        if (piece === SLICE_END) slices++;
      }
      expect(reads).toHaveBeenCalledTimes(4000);
      // 4000 series of 5 samples (+ merge weight) cannot fit in one slice.
      expect(slices).toBeGreaterThan(4000 / SLICE_SAMPLES);
      // A second reader of the same snapshot (another format) reads nothing again.
      for (const _ of encodeSlices(snapshot, 'openmetrics')) void _;
      expect(reads).toHaveBeenCalledTimes(4000);
    } finally {
      reads.mockRestore();
    }
  });

  for (const format of FORMATS) {
    it(`${format}: the page equals the one encode(collect()) makes`, async () => {
      const { registry } = summaryRegistry();
      const expected = asString(encode(await registry.collect(), format));
      const page = await render(registry, ACCEPT[format]);
      expect(asString(page.body)).toBe(expected);
    });
  }

  it('every scrape sharing a snapshot sees the same values, observations during it or not', async () => {
    const { registry, summary } = summaryRegistry();
    let updates = 0;
    const update = (): void => {
      for (let i = 0; i < 4000; i += 97) summary.observe({ id: `${i}` }, 1000 + updates);
      if (++updates < 50) setImmediate(update);
    };
    setImmediate(update);
    const [text, again] = await Promise.all([
      render(registry, ACCEPT.text),
      render(registry, ACCEPT.text),
    ]);
    expect(updates).toBeGreaterThan(0);
    expect(again.body).toBe(text.body);
    // Each series is read once, whole: its _count says how many observations its quantiles saw.
    const body = text.body as string;
    const count = Number(/work_seconds_count\{id="0"\} (\S+)/.exec(body)?.[1]);
    expect(count).toBeGreaterThanOrEqual(20);
    const p99 = Number(/work_seconds\{id="0",quantile="0.99"\} (\S+)/.exec(body)?.[1]);
    expect(p99 >= 1000).toBe(count > 20);
  });
});

describe('Registry subclasses', () => {
  it('render a registry whose collect() is overridden (a shared store) from that collect()', async () => {
    class StoreRegistry extends Registry {
      override async collect() {
        return [
          {
            name: 'from_store_total',
            help: 'Read from the store.',
            type: 'counter' as const,
            points: [{ labels: {}, value: 7 }],
          },
        ];
      }
    }
    const registry = new StoreRegistry();
    new Counter('local_total', 'Local only.', { registry });
    const page = await render(registry, ACCEPT.text);
    expect(page.body).toBe(
      '# HELP from_store_total Read from the store.\n# TYPE from_store_total counter\nfrom_store_total 7\n',
    );
  });
});
