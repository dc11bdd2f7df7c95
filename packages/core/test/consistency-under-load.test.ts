// Scrapes running while the application updates its metrics must never show a torn
// histogram (a `+Inf` bucket that differs from `_count`, buckets that are not
// cumulative) or a counter going backwards between two scrapes.
//
// Why this holds in JavaScript: the process runs one thread, and each metric's
// `collect()` is synchronous. A histogram copies its counts, count and sum in one turn
// of the event loop, so no update can land between reading `_count` and the buckets.
// Updates can only run where a scrape awaits: between async collectors, between
// collecting and encoding, between two scrapes. So this test makes those gaps real:
// writers update in bursts that yield to the event loop, scrapes of all three formats
// run concurrently, and async custom collectors await before (and return snapshots of
// metrics that keep changing across) their own await. It also proves the interleaving
// happened, so a pass is not just scrapes that ran before or after the updates.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type DecodedMetricFamily, decodeProtobuf } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import { Counter, Histogram, type MetricFamily, Registry, render, Summary } from '../src/index';
import { canonicalLabels, type ParsedFamily, parseExposition } from './helpers/parse-text';

const ACCEPT = {
  text: 'text/plain;version=0.0.4',
  openmetrics: 'application/openmetrics-text;version=1.0.0',
  protobuf:
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
} as const;
type Format = keyof typeof ACCEPT;
const FORMATS = Object.keys(ACCEPT) as Format[];

const ROUTES = Array.from({ length: 25 }, (_, i) => `/r/${i}`);
const WRITERS = 4;
const SCRAPERS = 6;
const SCRAPES_PER_SCRAPER = 40;
const BURST = 250;

interface Workload {
  readonly registry: Registry;
  /** Updates done so far, by all writers. */
  progress: number;
  /** Times an async collector saw updates happen while it was awaiting. */
  updatesDuringCollect: number;
  stopped: boolean;
}

function setUp(): { work: Workload; write: (writer: number) => Promise<void> } {
  const registry = new Registry();
  const latency = new Histogram('load_latency_seconds', 'Latency.', {
    registry,
    labelNames: ['route'] as const,
    buckets: [0.001, 0.01, 0.1, 0.5, 1, 5],
    native: true,
  });
  const requests = new Counter('load_requests_total', 'Requests.', {
    registry,
    labelNames: ['route'] as const,
  });
  const sizes = new Summary('load_size_bytes', 'Sizes.', {
    registry,
    labelNames: ['route'] as const,
  });
  const bytes = new Counter('load_bytes_total', 'Bytes, through bound children.', { registry });
  // Collected only by the async collectors below, after their await.
  const late = new Histogram('load_late_seconds', 'Observed across collector awaits.', {
    registry: null,
    buckets: [0.25, 0.5, 0.75],
  });
  const lateCount = new Counter('load_late_total', 'Counted across collector awaits.', {
    registry: null,
    labelNames: ['route'] as const,
  });
  const work: Workload = { registry, progress: 0, updatesDuringCollect: 0, stopped: false };
  registry.register({
    name: 'async_late_histogram',
    async collect(): Promise<MetricFamily> {
      const before = work.progress;
      await nextTurn();
      if (work.progress !== before) work.updatesDuringCollect++;
      return late.collect();
    },
  });
  registry.register({
    name: 'async_late_counter',
    async collect(): Promise<MetricFamily[]> {
      await new Promise((resolve) => setTimeout(resolve, 0));
      return [lateCount.collect()];
    },
  });
  const byteChildren = [bytes.labels(), bytes.labels()];

  async function write(writer: number): Promise<void> {
    let i = writer;
    while (!work.stopped) {
      for (let n = 0; n < BURST; n++, i++) {
        const route = ROUTES[i % ROUTES.length]!;
        const value = ((i * 7919) % 6000) / 1000; // 0 … 6 s, every bucket including +Inf
        latency.observe({ route }, value);
        requests.inc({ route });
        sizes.observe({ route }, value * 1000);
        byteChildren[i % 2]!.inc(512);
        late.observe(value / 6);
        lateCount.inc({ route });
        work.progress++;
      }
      // Alternate the kinds of yield so writers land in every gap a scrape has.
      if (i % 3 === 0) await nextTurn();
      else await Promise.resolve();
    }
  }
  return { work, write };
}

/** Counter-like values of one scrape: `_total`/counter samples and histogram/summary counts. */
type Monotonic = Map<string, number>;

function checkText(page: string, format: 'text' | 'openmetrics'): Monotonic {
  // The strict parser fails on a histogram whose +Inf bucket differs from _count, or whose
  // buckets are not cumulative and ascending.
  const families: ParsedFamily[] = parseExposition(page, format);
  const out: Monotonic = new Map();
  for (const family of families) {
    for (const s of family.samples) {
      const counterLike =
        (family.type === 'counter' && !s.name.endsWith('_created')) ||
        s.name.endsWith('_count') ||
        (family.type === 'histogram' && s.name.endsWith('_bucket'));
      if (counterLike) out.set(`${s.name} ${canonicalLabels(s.labels)}`, s.value);
    }
  }
  return out;
}

function nativeTotal(family: DecodedMetricFamily, i: number): number | undefined {
  const native = family.metrics[i]!.histogram!.native;
  if (native === undefined) return undefined;
  let total = native.zeroCount;
  for (const deltas of [native.positiveDeltas, native.negativeDeltas]) {
    let count = 0;
    for (const d of deltas) {
      count += d;
      total += count;
    }
  }
  return total;
}

function checkProtobuf(body: Uint8Array): Monotonic {
  const out: Monotonic = new Map();
  for (const family of decodeProtobuf(body)) {
    family.metrics.forEach((m, i) => {
      const key = `${family.name} ${canonicalLabels(m.labels)}`;
      if (m.value !== undefined && family.type === 'counter') out.set(key, m.value);
      if (m.summary !== undefined) out.set(`${key} count`, m.summary.count);
      const h = m.histogram;
      if (h === undefined) return;
      const inf = h.buckets.at(-1);
      expect(inf?.upperBound, `${key} ends with +Inf`).toBe(Number.POSITIVE_INFINITY);
      expect(inf?.cumulativeCount, `${key} +Inf bucket = count`).toBe(h.count);
      for (let b = 1; b < h.buckets.length; b++) {
        expect(h.buckets[b]!.cumulativeCount).toBeGreaterThanOrEqual(
          h.buckets[b - 1]!.cumulativeCount,
        );
      }
      const native = nativeTotal(family, i);
      if (native !== undefined)
        expect(native, `${key} native buckets add up to count`).toBe(h.count);
      out.set(`${key} count`, h.count);
      for (const bucket of h.buckets) {
        out.set(`${key} le=${bucket.upperBound}`, bucket.cumulativeCount);
      }
    });
  }
  return out;
}

/** Scrapes in turn through the formats; every value must be ≥ the same series' last value. */
async function scraper(
  id: number,
  work: Workload,
): Promise<{ scrapes: number; increases: number }> {
  const last = new Map<string, number>();
  let increases = 0;
  for (let n = 0; n < SCRAPES_PER_SCRAPER; n++) {
    const format = FORMATS[(id + n) % FORMATS.length]!;
    const { body } = await render(work.registry, ACCEPT[format]);
    const values =
      format === 'protobuf' ? checkProtobuf(body as Uint8Array) : checkText(body as string, format);
    for (const [key, value] of values) {
      // Keys differ per format (`_total` in OpenMetrics, …): compare like with like.
      const seen = last.get(`${format} ${key}`);
      if (seen !== undefined) {
        if (value < seen) expect.fail(`${format} ${key} went from ${seen} back to ${value}`);
        if (value > seen) increases++;
      }
      last.set(`${format} ${key}`, value);
    }
    if (n % 4 === 0) await nextTurn();
  }
  return { scrapes: SCRAPES_PER_SCRAPER, increases };
}

describe('scrapes concurrent with heavy updates', () => {
  it('never show a torn histogram or a counter going backwards, in any format', async () => {
    const { work, write } = setUp();
    const writers = Array.from({ length: WRITERS }, (_, w) => write(w));
    const results = await Promise.all(
      Array.from({ length: SCRAPERS }, (_, id) => scraper(id, work)),
    );
    work.stopped = true;
    await Promise.all(writers);

    const scrapes = results.reduce((n, r) => n + r.scrapes, 0);
    expect(scrapes).toBe(SCRAPERS * SCRAPES_PER_SCRAPER);
    // The interleaving was real: values grew between one scraper's scrapes, and writers
    // ran while async collectors were awaiting mid-collection.
    for (const r of results) expect(r.increases).toBeGreaterThan(0);
    expect(work.updatesDuringCollect).toBeGreaterThan(0);
  });
});
