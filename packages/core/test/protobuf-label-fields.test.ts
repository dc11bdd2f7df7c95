import { decodeProtobuf } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import { protobufColumnMetrics } from '../src/exposition/protobuf-columns';
import { labelFieldsOf } from '../src/exposition/protobuf-label-fields';
import { encode, render } from '../src/exposition/render';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import { Registry } from '../src/registry';
import { columnsOf, type LazyFamily } from '../src/snapshot';

/**
 * A protobuf scrape copies each interned label value's bytes, encoded once per value and
 * kept between scrapes. The page must stay the one protobufjs writes from points
 * (`encode` of `collect()`) as values come and go, and whatever escaping a scrape asks for.
 */

const PROTOBUF =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

/** Values that are empty, need escaping in text, are not ASCII, or need a 2-byte length. */
const VALUES = [
  '',
  'plain',
  'quote"d \\ line\nbreak',
  'café',
  'ünïcödé 😀 emoji',
  '日本語',
  'x'.repeat(130),
  'é'.repeat(70),
  `${'y'.repeat(120)}ü`,
];

async function scrape(registry: Registry, accept = PROTOBUF): Promise<Uint8Array> {
  const { body, format } = await render(registry, accept);
  expect(format).toBe('protobuf');
  return body as Uint8Array;
}

async function viaPoints(registry: Registry): Promise<Uint8Array> {
  return encode(await registry.collect(), 'protobuf') as Uint8Array;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Label sets of one decoded family, as `name=value` lists. */
function labelSets(body: Uint8Array, family: string): string[][] {
  const decoded = decodeProtobuf(body).find((f) => f.name === family);
  return (decoded?.metrics ?? []).map((m) =>
    Object.entries(m.labels).map(([name, value]) => `${name}=${value}`),
  );
}

describe('protobuf label bytes kept per interned value', () => {
  it('gives the bytes protobufjs writes, scrape after scrape, as series come and go', async () => {
    const registry = new Registry();
    const counter = new Counter('kept_total', 'Kept.', {
      labelNames: ['path', 'code'] as const,
      constLabels: { app: 'shöp', big: 'z'.repeat(140) },
      registry,
      maxSeries: 100_000,
    });
    const gauge = new Gauge('kept_gauge', 'Kept gauge.', {
      labelNames: ['room'] as const,
      registry,
    });
    const bare = new Gauge('bare_gauge', 'Const labels only.', {
      labelNames: [] as const,
      constLabels: { env: 'prød' },
      registry,
    });
    bare.set(2);
    for (const [i, a] of VALUES.entries()) {
      counter.inc({ path: a, code: VALUES[(i + 3) % VALUES.length]! }, i + 1);
      gauge.set({ room: a }, -i);
    }
    const first = await scrape(registry);
    expect(hex(first)).toBe(hex(await viaPoints(registry)));

    // New values after a first scrape, and new series of values already encoded.
    for (const [i, a] of VALUES.entries()) {
      counter.inc({ path: `${a}+new`, code: a }, 1);
      counter.inc({ path: VALUES[(i + 1) % VALUES.length]!, code: a }, 2);
      gauge.set({ room: `${a}ö`.repeat(2) }, i);
    }
    const second = await scrape(registry);
    expect(hex(second)).toBe(hex(await viaPoints(registry)));
    expect(labelSets(second, 'kept_gauge')).toContainEqual([
      `room=${'é'.repeat(70)}ö${'é'.repeat(70)}ö`,
    ]);
    expect(labelSets(second, 'kept_total')).toContainEqual([
      'app=shöp',
      `big=${'z'.repeat(140)}`,
      `path=${'x'.repeat(130)}+new`,
      `code=${'x'.repeat(130)}`,
    ]);

    // Removals: some series, then most of them (the table renumbers its values), then new ones.
    counter.remove({ path: 'plain', code: VALUES[4]! });
    expect(hex(await scrape(registry))).toBe(hex(await viaPoints(registry)));
    for (const [i, a] of VALUES.entries()) {
      counter.remove({ path: `${a}+new`, code: a });
      counter.remove({ path: VALUES[(i + 1) % VALUES.length]!, code: a });
      gauge.remove({ room: a });
    }
    counter.inc({ path: 'after-renumbering', code: 'ü'.repeat(80) }, 5);
    gauge.set({ room: 'after' }, 1);
    const third = await scrape(registry);
    expect(hex(third)).toBe(hex(await viaPoints(registry)));
    expect(labelSets(third, 'kept_gauge').length).toBe(VALUES.length + 1);
    expect(labelSets(third, 'kept_total')).not.toContainEqual(
      expect.arrayContaining(['path=plain+new']),
    );
  });

  it('names as each scrape escapes them: nothing kept from one scheme leaks into another', async () => {
    const registry = new Registry({ nameValidation: 'utf8' });
    const counter = new Counter('http.requests_total', 'Dotted.', {
      labelNames: ['http.method', 'ünï_code'] as const,
      constLabels: { 'app.name': 'shop' },
      registry,
    });
    for (const v of VALUES) counter.inc({ 'http.method': v, ünï_code: '200' }, 2);
    const schemes = [
      'allow-utf-8',
      'underscores',
      'dots',
      'values',
      'allow-utf-8',
      'dots',
    ] as const;
    const pages = new Map<string, string>();
    for (const escaping of schemes) {
      const body = await scrape(registry, `${PROTOBUF};escaping=${escaping}`);
      const expected = encode(await registry.collect(), 'protobuf', {
        escaping,
        nameValidation: 'utf8',
      }) as Uint8Array;
      expect(hex(body), escaping).toBe(hex(expected));
      const seen = pages.get(escaping);
      if (seen !== undefined) expect(hex(body)).toBe(seen);
      pages.set(escaping, hex(body));
    }
    const utf8 = labelSets(Buffer.from(pages.get('allow-utf-8')!, 'hex'), 'http.requests_total');
    expect(utf8[0]!.slice(0, 2)).toEqual(['app.name=shop', 'http.method=']);
    const underscores = decodeProtobuf(Buffer.from(pages.get('underscores')!, 'hex'));
    expect(underscores[0]!.name).toBe('http_requests_total');
    expect(Object.keys(underscores[0]!.metrics[0]!.labels)).toEqual([
      'app_name',
      'http_method',
      expect.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]*$/),
    ]);
  });

  it('encodes values as the slices that use them are written, not all on the first slice', async () => {
    const registry = new Registry();
    const counter = new Counter('spread_total', 'Spread.', {
      labelNames: ['id', 'kind'] as const,
      registry,
      maxSeries: 20_000,
    });
    for (let i = 0; i < 10_000; i++) counter.inc({ id: `${i}`, kind: i % 2 === 0 ? 'a' : 'b' });
    const [family] = await registry.snapshot();
    const columns = columnsOf(family as LazyFamily)!;
    const interned = columns.series.interned!;
    const slices: Uint8Array[] = [];
    protobufColumnMetrics('counter', columns, 0, 256);
    const fields = labelFieldsOf(interned, columns.indices, 0, 0);
    // After the first slice: the ids of its 256 series, not the 10 000 interned.
    expect(fields.positions.map((field) => field.count)).toEqual([256, 2]);
    for (let from = 0; from < 10_000; from += 256) {
      // A copy: the bytes are a view of the writer's buffer, which the next call reuses.
      slices.push(
        protobufColumnMetrics('counter', columns, from, Math.min(from + 256, 10_000)).slice(),
      );
    }
    expect(fields.positions.map((field) => field.count)).toEqual([10_000, 2]);
    const body = Buffer.concat(slices);
    const whole = hex(await viaPoints(registry));
    // The family's metric fields, as the point path writes them.
    expect(whole.endsWith(hex(body))).toBe(true);
  });
});
