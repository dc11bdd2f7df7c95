import { describe, expect, it } from 'vitest';
import { encode } from '../src/exposition/render';
import { encodeSlices, SLICE_END } from '../src/exposition/slices';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import { Registry } from '../src/registry';
import { columnsOf, isLazy } from '../src/snapshot';

/**
 * Counters and gauges reach the writers of a scrape as columns (no point objects); the
 * points of `collect()` take the general path. Both must give the same bytes.
 */

const FORMATS = ['text', 'openmetrics', 'protobuf'] as const;

/** Label values that need escaping, are not ASCII, or are long enough for 2-byte lengths. */
const VALUES = [
  '',
  'plain',
  'back\\slash',
  'quote"d',
  'line\nbreak',
  'all \\ " \n three',
  'café',
  'ünïcödé 😀 emoji',
  '日本語のラベル',
  'x'.repeat(130),
  'é'.repeat(70),
  '/api/v1/items/123',
];

/** Values that stress number formatting. */
const NUMBERS = [
  0,
  -0,
  1,
  42,
  0.1,
  1.5e-7,
  5e-324,
  1e21,
  1.7976931348623157e308,
  -3.25,
  2 ** 53 + 2,
  123456789.123,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

class FakeClock {
  seconds = 1000;
  readonly now = (): number => this.seconds;
}

async function variedRegistry() {
  const registry = new Registry();
  const clock = new FakeClock();
  const counter = new Counter('req_total', 'Requests "quoted" \\ help\nline.', {
    labelNames: ['path', 'code'] as const,
    constLabels: { app: 'shop "x"', region: 'eu\\1' },
    registry,
    maxSeries: 10_000,
  });
  const gauge = new Gauge('temp_celsius', 'Temperatures.', {
    labelNames: ['room'] as const,
    registry,
    ttlSeconds: 60,
    clock: clock.now,
  });
  const anyLabels = new Gauge('free_form', 'Any label set.', { registry });
  const bare = new Counter('bare_total', 'No labels.', { labelNames: [] as const, registry });
  const constOnly = new Gauge('const_only', 'Const labels only.', {
    labelNames: [] as const,
    constLabels: { env: 'prød' },
    registry,
  });
  let k = 0;
  for (const a of VALUES) {
    for (const b of VALUES) {
      const n = NUMBERS[k % NUMBERS.length]!;
      counter.inc({ path: a, code: b }, Number.isFinite(n) ? Math.abs(n) : 1);
      k++;
    }
    gauge.set({ room: a }, NUMBERS[k % NUMBERS.length]!);
    anyLabels.set({ [`l${k % 3}`]: a, other: `${k}` }, NUMBERS[(k + 3) % NUMBERS.length]!);
    k++;
  }
  for (let i = 0; i < NUMBERS.length; i++) gauge.set({ room: `n${i}` }, NUMBERS[i]!);
  bare.inc(7);
  constOnly.set(-0);
  // Removed series, and series that expire before the scrape.
  counter.remove({ path: 'plain', code: 'café' });
  counter.remove({ path: VALUES[9]!, code: '' });
  anyLabels.remove({ l0: '', other: '0' });
  await registry.collect(); // the first sweep: every series seen active now
  clock.seconds += 30;
  gauge.set({ room: 'plain' }, 3);
  gauge.set({ room: 'café' }, 4);
  clock.seconds += 45; // every other room is idle for 75 s > 60 s
  return registry;
}

function joined(pieces: Iterable<string | Uint8Array | typeof SLICE_END>): string {
  const kept = [...pieces].filter((p) => p !== SLICE_END) as Array<string | Uint8Array>;
  if (kept.every((p) => typeof p === 'string')) return kept.join('');
  return Buffer.concat(kept as Uint8Array[]).toString('base64');
}

function asString(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body).toString('base64');
}

describe('column writers', () => {
  for (const format of FORMATS) {
    for (const created of [false, true]) {
      if (created && format !== 'openmetrics') continue;
      it(`${format}${created ? ' with _created' : ''}: columns give the bytes points give`, async () => {
        const registry = await variedRegistry();
        const snapshot = await registry.snapshot();
        const columnar = snapshot.filter((f) => isLazy(f) && columnsOf(f) !== undefined);
        expect(columnar.length).toBe(5);
        // Slices of 7 samples: many slice boundaries inside each family.
        const fast = joined(encodeSlices(snapshot, format, { created }, 7));
        const general = encode(await registry.collect(), format, {
          openMetricsCreated: created,
        });
        expect(fast).toBe(asString(general));
        expect(fast.length).toBeGreaterThan(1000);
      });
    }
  }

  it('expired and removed series are left out of the columns', async () => {
    const registry = await variedRegistry();
    const page = joined(encodeSlices(await registry.snapshot(), 'text'));
    expect(page).toContain('temp_celsius{room="plain"} 3\n');
    expect(page).not.toContain('temp_celsius{room="n0"}');
    expect(page).not.toContain('path="plain",code="café"');
  });

  it('quoted metric names under allow-utf-8: columns give the bytes points give', async () => {
    const registry = new Registry({ nameValidation: 'utf8' });
    const counter = new Counter('http.requests_total', 'Dotted.', {
      labelNames: ['method', 'code'] as const,
      registry,
    });
    const gauge = new Gauge('température', 'Accented.', { labelNames: [] as const, registry });
    for (const v of VALUES) counter.inc({ method: v, code: '200' }, 2);
    gauge.set(1.25);
    const snapshot = await registry.snapshot();
    for (const format of ['text', 'openmetrics'] as const) {
      const fast = joined(encodeSlices(snapshot, format, { escaping: 'allow-utf-8' }, 5));
      // Names as given (render escapes UTF-8 registries' names first, from points).
      const general = encode(await registry.collect(), format, { escaping: 'allow-utf-8' });
      expect(fast).toBe(general);
      expect(fast).toContain('{"http.requests_total",method="café",code="200"} 2\n');
    }
  });

  it('counters with an exemplar keep the point path (exemplars are in the page)', async () => {
    const registry = new Registry();
    const counter = new Counter('ex_total', 'With exemplars.', {
      labelNames: ['k'] as const,
      registry,
    });
    counter.inc({ k: 'a' });
    counter.incWithExemplar({ k: 'b' }, 2, { trace_id: 'abc' });
    const snapshot = await registry.snapshot();
    expect(snapshot.some((f) => isLazy(f) && columnsOf(f) !== undefined)).toBe(false);
    const page = joined(encodeSlices(snapshot, 'openmetrics'));
    expect(page).toContain('ex_total{k="b"} 2 # {trace_id="abc"} 2');
  });
});
