import { type DecodedMetricFamily, decodeProtobuf, metricFamilyType } from '@promkit/testkit';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { encodeProtobuf } from '../src/exposition/protobuf';
import { NativeBuckets, resolveNativeHistogramOptions } from '../src/metrics/native-histogram';
import type { Labels, MetricFamily } from '../src/model';

const roundTrip = (families: MetricFamily[]): DecodedMetricFamily[] =>
  decodeProtobuf(encodeProtobuf(families));

/** protobufjs reflection over our proto/metrics.proto, as plain protobufjs objects. */
const MetricFamilyType = metricFamilyType();
function decodeWithSchema(body: Uint8Array): Record<string, unknown>[] {
  const reader = protobuf.Reader.create(body);
  const out: Record<string, unknown>[] = [];
  while (reader.pos < reader.len) {
    const message = MetricFamilyType.decode(reader, reader.uint32());
    out.push(
      MetricFamilyType.toObject(message, {
        longs: Number,
        enums: String,
        defaults: false,
      }) as Record<string, unknown>,
    );
  }
  return out;
}

/** Reads the varint length prefix at `offset`: [value, bytes used]. */
function prefixAt(body: Uint8Array, offset: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let i = 0; ; i++) {
    const byte = body[offset + i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, i + 1];
  }
}

describe('encodeProtobuf → decodeProtobuf', () => {
  it('round-trips counters with edge values, exemplars, created and sample timestamps', () => {
    const values = [0, -0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53 + 2, 1e308, 5e-324];
    const family: MetricFamily = {
      name: 'jobs_total',
      help: 'Jobs processed.',
      type: 'counter',
      points: [
        ...values.map((value, i) => ({ labels: { i: String(i) }, value })),
        {
          labels: { kind: 'exemplar' },
          value: 7,
          created: 1_700_000_000.25,
          exemplar: { labels: { trace_id: 'abc123' }, value: 0.5, timestamp: 1_700_000_123.5 },
        },
        { labels: { kind: 'stamped' }, value: 3, timestampMs: 1_700_000_000_123 },
        { labels: { kind: 'old' }, value: 3, timestampMs: -1000, created: 0.5 },
      ],
    };
    const [decoded] = roundTrip([family]);
    expect(decoded!.name).toBe('jobs_total');
    expect(decoded!.help).toBe('Jobs processed.');
    expect(decoded!.type).toBe('counter');
    values.forEach((value, i) => {
      expect(Object.is(decoded!.metrics[i]!.value, value)).toBe(true);
      expect(decoded!.metrics[i]!.labels).toEqual({ i: String(i) });
      expect(decoded!.metrics[i]!.createdTimestamp).toBeUndefined();
      expect(decoded!.metrics[i]!.timestampMs).toBeUndefined();
    });
    const withExemplar = decoded!.metrics[values.length]!;
    expect(withExemplar.value).toBe(7);
    expect(withExemplar.createdTimestamp).toBeCloseTo(1_700_000_000.25, 6);
    expect(withExemplar.exemplar).toEqual({
      labels: { trace_id: 'abc123' },
      value: 0.5,
      timestamp: 1_700_000_123.5,
    });
    expect(decoded!.metrics[values.length + 1]!.timestampMs).toBe(1_700_000_000_123);
    expect(decoded!.metrics[values.length + 2]!.timestampMs).toBe(-1000);
    expect(decoded!.metrics[values.length + 2]!.createdTimestamp).toBe(0.5);
  });

  it('keeps the counter name as given (no _total appended)', () => {
    const [decoded] = roundTrip([
      { name: 'jobs', help: '', type: 'counter', points: [{ labels: {}, value: 1 }] },
    ]);
    expect(decoded!.name).toBe('jobs');
  });

  it('round-trips label sets: empty values, unicode, escapes, many labels, order', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 120; i++) many[`label_${(i * 37) % 120}`] = `value ${i}`;
    const tricky = {
      empty: '',
      unicode: 'Grüße, 世界 🌍 e\u0301',
      escapes: 'line\nbreak "quoted" back\\slash',
      z_first: 'z',
      a_last: 'a',
    };
    const [decoded] = roundTrip([
      {
        name: 'g',
        help: 'Help with "quotes", \\ and\nnewline — ünïcödé.',
        type: 'gauge',
        points: [
          { labels: tricky, value: 1 },
          { labels: many, value: 2 },
          { labels: {}, value: 3 },
        ],
      },
    ]);
    expect(decoded!.help).toBe('Help with "quotes", \\ and\nnewline — ünïcödé.');
    expect(decoded!.metrics[0]!.labels).toEqual(tricky);
    expect(Object.keys(decoded!.metrics[0]!.labels)).toEqual(Object.keys(tricky));
    expect(Object.keys(decoded!.metrics[1]!.labels)).toEqual(Object.keys(many));
    expect(decoded!.metrics[1]!.labels).toEqual(many);
    expect(decoded!.metrics[2]!.labels).toEqual({});
  });

  it('maps gauge, stateset, info and untyped families', () => {
    const decoded = roundTrip([
      { name: 'temp', help: 'Temperature.', type: 'gauge', points: [{ labels: {}, value: -3.5 }] },
      {
        name: 'feature',
        help: 'Feature state.',
        type: 'stateset',
        points: [
          { labels: { feature: 'a' }, value: 1 },
          { labels: { feature: 'b' }, value: 0 },
        ],
      },
      { name: 'build', help: 'Build.', type: 'info', points: [{ labels: { version: '1.2.3' } }] },
      { name: 'app_info', help: 'App.', type: 'info', points: [{ labels: { name: 'shop' } }] },
      {
        name: 'raw',
        help: 'Untyped.',
        type: 'untyped',
        points: [{ labels: { a: 'b' }, value: 42 }],
      },
    ]);
    expect(decoded.map((f) => [f.name, f.type])).toEqual([
      ['temp', 'gauge'],
      ['feature', 'gauge'],
      ['build_info', 'gauge'],
      ['app_info', 'gauge'],
      ['raw', 'untyped'],
    ]);
    expect(decoded[0]!.metrics[0]!.value).toBe(-3.5);
    expect(decoded[1]!.metrics.map((m) => [m.labels.feature, m.value])).toEqual([
      ['a', 1],
      ['b', 0],
    ]);
    expect(decoded[2]!.metrics[0]).toEqual({ labels: { version: '1.2.3' }, value: 1 });
    expect(decoded[4]!.metrics[0]).toEqual({ labels: { a: 'b' }, value: 42 });
  });

  it('writes the unit when the family has one', () => {
    const [decoded] = roundTrip([
      {
        name: 'size_bytes',
        help: 'Size.',
        type: 'gauge',
        unit: 'bytes',
        points: [{ labels: {}, value: 1 }],
      },
    ]);
    expect(decoded!.unit).toBe('bytes');
  });

  it('leaves out families without points, as client_golang does', () => {
    const decoded = roundTrip([
      { name: 'empty', help: 'Nothing yet.', type: 'counter', points: [] },
      { name: 'present', help: '', type: 'gauge', points: [{ labels: {}, value: 1 }] },
    ]);
    expect(decoded.map((f) => f.name)).toEqual(['present']);
    expect(encodeProtobuf([{ name: 'empty', help: '', type: 'summary', points: [] }])).toHaveLength(
      0,
    );
  });

  it('round-trips summaries with quantiles, huge counts and created timestamps', () => {
    const [decoded] = roundTrip([
      {
        name: 'latency_seconds',
        help: 'Latency.',
        type: 'summary',
        points: [
          {
            labels: { route: '/' },
            value: {
              count: 2 ** 60,
              sum: 12.5,
              quantiles: [
                { quantile: 0.5, value: 0.1 },
                { quantile: 0.99, value: Number.NaN },
              ],
            },
            created: 1_600_000_000,
          },
          { labels: { route: '/x' }, value: { count: 0, sum: 0, quantiles: [] } },
        ],
      },
    ]);
    expect(decoded!.type).toBe('summary');
    const first = decoded!.metrics[0]!;
    expect(first.summary!.count).toBe(2 ** 60);
    expect(first.summary!.sum).toBe(12.5);
    expect(first.summary!.quantiles[0]).toEqual({ quantile: 0.5, value: 0.1 });
    expect(first.summary!.quantiles[1]!.quantile).toBe(0.99);
    expect(first.summary!.quantiles[1]!.value).toBeNaN();
    expect(first.createdTimestamp).toBe(1_600_000_000);
    expect(decoded!.metrics[1]!.summary).toEqual({ count: 0, sum: 0, quantiles: [] });
  });

  it('writes classic histogram buckets cumulatively with an explicit +Inf bucket and exemplars', () => {
    const [decoded] = roundTrip([
      {
        name: 'size',
        help: 'Size.',
        type: 'histogram',
        points: [
          {
            labels: { a: 'b' },
            value: {
              bounds: [0.1, 1, 10],
              counts: [2, 0, 5, 1],
              count: 8,
              sum: 33.25,
              exemplars: [
                { labels: { id: 'x' }, value: 0.05, timestamp: 10 },
                undefined,
                undefined,
                { labels: { id: 'inf' }, value: 99 },
              ],
            },
            created: 1234.5,
            timestampMs: 99,
          },
        ],
      },
    ]);
    const metric = decoded!.metrics[0]!;
    expect(decoded!.type).toBe('histogram');
    expect(metric.histogram!.count).toBe(8);
    expect(metric.histogram!.sum).toBe(33.25);
    expect(metric.histogram!.native).toBeUndefined();
    expect(metric.histogram!.buckets).toEqual([
      {
        upperBound: 0.1,
        cumulativeCount: 2,
        exemplar: { labels: { id: 'x' }, value: 0.05, timestamp: 10 },
      },
      { upperBound: 1, cumulativeCount: 2 },
      { upperBound: 10, cumulativeCount: 7 },
      {
        upperBound: Number.POSITIVE_INFINITY,
        cumulativeCount: 8,
        exemplar: { labels: { id: 'inf' }, value: 99 },
      },
    ]);
    expect(metric.createdTimestamp).toBe(1234.5);
    expect(metric.timestampMs).toBe(99);
  });

  it('writes fractional histogram counts to the float fields', () => {
    const [decoded] = roundTrip([
      {
        name: 'weighted',
        help: '',
        type: 'histogram',
        points: [{ labels: {}, value: { bounds: [1], counts: [0.5, 1], count: 1.5, sum: 2 } }],
      },
    ]);
    const histogram = decoded!.metrics[0]!.histogram!;
    expect(histogram.count).toBe(1.5);
    expect(histogram.buckets.map((b) => b.cumulativeCount)).toEqual([0.5, 1.5]);
  });

  it('round-trips native histograms built by NativeBuckets', () => {
    const native = new NativeBuckets(resolveNativeHistogramOptions('rt', { schema: 3 }));
    const observed = [0, 1, 1, 2, 3.5, -0.25, -4, 1e6, 1e-6, Number.POSITIVE_INFINITY];
    for (const v of observed) native.observe(v);
    const snapshot = native.snapshot();
    const [decoded] = roundTrip([
      {
        name: 'rt',
        help: 'Native.',
        type: 'histogram',
        points: [
          {
            labels: { svc: 'a' },
            value: { bounds: [], counts: [], count: observed.length, sum: 123, native: snapshot },
          },
        ],
      },
    ]);
    const histogram = decoded!.metrics[0]!.histogram!;
    expect(histogram.buckets).toEqual([]);
    expect(histogram.count).toBe(observed.length);
    expect(histogram.native).toEqual({
      schema: snapshot.schema,
      zeroThreshold: snapshot.zeroThreshold,
      zeroCount: snapshot.zeroCount,
      positiveSpans: snapshot.positiveSpans,
      positiveDeltas: snapshot.positiveDeltas,
      negativeSpans: snapshot.negativeSpans,
      negativeDeltas: snapshot.negativeDeltas,
    });
  });

  it('round-trips native deltas beyond 32 bits and negative offsets', () => {
    const native = {
      schema: -4,
      zeroThreshold: 0.5,
      zeroCount: 2 ** 40,
      positiveSpans: [
        { offset: -100_000, length: 2 },
        { offset: 3, length: 1 },
      ],
      positiveDeltas: [2 ** 40, -(2 ** 40) + 5, -(2 ** 31)],
      negativeSpans: [{ offset: 2 ** 31 - 1, length: 1 }],
      negativeDeltas: [2 ** 31],
    };
    const [decoded] = roundTrip([
      {
        name: 'wide',
        help: '',
        type: 'histogram',
        points: [{ labels: {}, value: { bounds: [], counts: [], count: 2 ** 41, sum: 1, native } }],
      },
    ]);
    expect(decoded!.metrics[0]!.histogram!.native).toEqual(native);
    expect(decoded!.metrics[0]!.histogram!.count).toBe(2 ** 41);
  });

  it('marks an empty native histogram with zero threshold 0 by a no-op span', () => {
    const empty = new NativeBuckets(resolveNativeHistogramOptions('e', { zeroThreshold: 0 }));
    const [decoded] = roundTrip([
      {
        name: 'e',
        help: '',
        type: 'histogram',
        points: [
          {
            labels: {},
            value: { bounds: [], counts: [], count: 0, sum: 0, native: empty.snapshot() },
          },
        ],
      },
    ]);
    expect(decoded!.metrics[0]!.histogram!.native!.positiveSpans).toEqual([
      { offset: 0, length: 0 },
    ]);
    expect(decoded!.metrics[0]!.histogram!.native!.zeroThreshold).toBe(0);
  });

  it('keeps the default zero threshold (> 0) on an empty native histogram', () => {
    const empty = new NativeBuckets(resolveNativeHistogramOptions('e', true));
    const [decoded] = roundTrip([
      {
        name: 'e',
        help: '',
        type: 'histogram',
        points: [
          {
            labels: {},
            value: { bounds: [], counts: [], count: 0, sum: 0, native: empty.snapshot() },
          },
        ],
      },
    ]);
    const native = decoded!.metrics[0]!.histogram!.native!;
    expect(native.zeroThreshold).toBe(2 ** -128);
    expect(native.positiveSpans).toEqual([]);
  });

  it('writes multi-byte length prefixes (> 127 bytes, > 16 KiB) of at most 5 bytes', () => {
    const medium: MetricFamily = {
      name: 'medium',
      help: 'x'.repeat(200),
      type: 'gauge',
      points: [{ labels: {}, value: 1 }],
    };
    const large: MetricFamily = {
      name: 'large',
      help: 'Large.',
      type: 'gauge',
      points: Array.from({ length: 1000 }, (_, i) => ({
        labels: { index: String(i), padding: 'p'.repeat(20) },
        value: i,
      })),
    };
    const body = encodeProtobuf([medium, large]);
    const [mediumLength, mediumPrefix] = prefixAt(body, 0);
    expect(mediumLength).toBeGreaterThan(127);
    expect(mediumPrefix).toBe(2);
    const [largeLength, largePrefix] = prefixAt(body, mediumPrefix + mediumLength);
    expect(largeLength).toBeGreaterThan(16 * 1024);
    expect(largePrefix).toBe(3);
    expect(mediumPrefix + mediumLength + largePrefix + largeLength).toBe(body.length);
    const decoded = decodeProtobuf(body);
    expect(decoded[0]!.help).toBe('x'.repeat(200));
    expect(decoded[1]!.metrics).toHaveLength(1000);
    expect(decoded[1]!.metrics[999]).toEqual({
      labels: { index: '999', padding: 'p'.repeat(20) },
      value: 999,
    });
  });

  it('encodes the same bytes again for a reused frozen label set and sees changes of a mutable one', () => {
    const frozen: Labels = Object.freeze({ method: 'GET' });
    const mutable: Record<string, string> = { method: 'GET' };
    const family = (labels: Labels): MetricFamily[] => [
      { name: 'c', help: '', type: 'counter', points: [{ labels, value: 1 }] },
    ];
    const first = encodeProtobuf(family(frozen));
    expect(encodeProtobuf(family(frozen))).toEqual(first);
    expect(encodeProtobuf(family(mutable))).toEqual(first);
    mutable.method = 'POST';
    expect(decodeProtobuf(encodeProtobuf(family(mutable)))[0]!.metrics[0]!.labels).toEqual({
      method: 'POST',
    });
  });

  it('cached label bytes survive the reused writer being overwritten by other encodes', () => {
    const labelled = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        labels: Object.freeze({ series: `s${i}`, pad: 'x'.repeat(30) }),
        value: i,
      }));
    const first: MetricFamily[] = [
      { name: 'a', help: 'A.', type: 'gauge', points: labelled(2000) },
    ];
    const other: MetricFamily[] = [
      {
        name: 'b',
        help: 'B.',
        type: 'gauge',
        points: Array.from({ length: 3000 }, (_, i) => ({
          labels: Object.freeze({ other: `o${i}`, more: 'y'.repeat(40) }),
          value: -i,
        })),
      },
    ];
    const expected = decodeProtobuf(encodeProtobuf(first));
    decodeProtobuf(encodeProtobuf(other));
    const again = decodeProtobuf(encodeProtobuf(first));
    expect(again).toEqual(expected);
    expect(again[0]!.metrics[1999]!.labels).toEqual({ series: 's1999', pad: 'x'.repeat(30) });
  });

  it('stays correct when a family hands out new frozen label sets on every scrape', () => {
    // 70 scrapes cover the switch to uncached labels and the probe after 64 encodes.
    for (let scrape = 0; scrape < 70; scrape++) {
      const points = Array.from({ length: 20 }, (_, i) => ({
        labels: Object.freeze({ state: `s${i}`, scrape: String(scrape) }),
        value: ((scrape + i) % 2) as 0 | 1,
      }));
      const stable = { labels: Object.freeze({ fixed: 'yes' }), value: scrape };
      const [fresh, kept] = roundTrip([
        { name: 'fresh_sets', help: '', type: 'stateset', points },
        { name: 'kept_sets', help: '', type: 'gauge', points: [stable] },
      ]);
      expect(fresh!.metrics.map((m) => m.labels)).toEqual(points.map((p) => p.labels));
      expect(fresh!.metrics.map((m) => m.value)).toEqual(points.map((p) => p.value));
      expect(kept!.metrics).toEqual([{ labels: { fixed: 'yes' }, value: scrape }]);
    }
  });

  it('a later help text for the same name is not hidden by the cached family head', () => {
    const make = (help: string): MetricFamily[] => [
      { name: 'same', help, type: 'gauge', points: [{ labels: {}, value: 1 }] },
    ];
    expect(roundTrip(make('first'))[0]!.help).toBe('first');
    expect(roundTrip(make('second'))[0]!.help).toBe('second');
  });

  it('property: gauges and counters round-trip', () => {
    const labelName = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,10}$/);
    const point = fc.record({
      labels: fc.dictionary(labelName, fc.string({ unit: 'grapheme', maxLength: 20 }), {
        maxKeys: 6,
      }),
      value: fc.double(),
    });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,20}$/),
            help: fc.string({ unit: 'grapheme', maxLength: 40 }),
            type: fc.constantFrom('counter' as const, 'gauge' as const),
            points: fc.array(point, { minLength: 1, maxLength: 5 }),
          }),
          { maxLength: 5 },
        ),
        (families) => {
          const decoded = roundTrip(families as MetricFamily[]);
          expect(decoded).toHaveLength(families.length);
          families.forEach((family, f) => {
            expect(decoded[f]!.name).toBe(family.name);
            expect(decoded[f]!.help).toBe(family.help);
            expect(decoded[f]!.type).toBe(family.type);
            family.points.forEach((p, i) => {
              const metric = decoded[f]!.metrics[i]!;
              expect(metric.labels).toEqual(p.labels);
              expect(Object.is(metric.value, p.value)).toBe(true);
            });
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('encodeProtobuf against the schema (protobufjs reflection over proto/metrics.proto)', () => {
  it('decodes every metric type with the field names of the proto', () => {
    const native = new NativeBuckets(resolveNativeHistogramOptions('n', { schema: 0 }));
    for (const v of [1, 2, 2, 16, 1024, -3]) native.observe(v);
    const body = encodeProtobuf([
      {
        name: 'c_total',
        help: 'C.',
        type: 'counter',
        points: [
          {
            labels: { a: '1' },
            value: 5,
            created: 100.5,
            exemplar: { labels: { t: 'x' }, value: 1, timestamp: 2 },
          },
        ],
      },
      {
        name: 's',
        help: 'S.',
        type: 'summary',
        points: [
          {
            labels: {},
            value: { count: 3, sum: 6, quantiles: [{ quantile: 0.5, value: 2 }] },
            created: 7,
          },
        ],
      },
      {
        name: 'h',
        help: 'H.',
        type: 'histogram',
        points: [
          {
            labels: {},
            value: {
              bounds: [1],
              counts: [1, 2],
              count: 3,
              sum: 4,
              native: native.snapshot(),
            },
            timestampMs: 5,
          },
        ],
      },
    ]);
    const [counter, summary, histogram] = decodeWithSchema(body);
    expect(counter).toEqual({
      name: 'c_total',
      help: 'C.',
      type: 'COUNTER',
      metric: [
        {
          label: [{ name: 'a', value: '1' }],
          counter: {
            value: 5,
            createdTimestamp: { seconds: 100, nanos: 500_000_000 },
            exemplar: { label: [{ name: 't', value: 'x' }], value: 1, timestamp: { seconds: 2 } },
          },
        },
      ],
    });
    expect(summary).toEqual({
      name: 's',
      help: 'S.',
      type: 'SUMMARY',
      metric: [
        {
          summary: {
            sampleCount: 3,
            sampleSum: 6,
            quantile: [{ quantile: 0.5, value: 2 }],
            createdTimestamp: { seconds: 7 },
          },
        },
      ],
    });
    expect(histogram).toEqual({
      name: 'h',
      help: 'H.',
      type: 'HISTOGRAM',
      metric: [
        {
          timestampMs: 5,
          histogram: {
            sampleCount: 3,
            sampleSum: 4,
            bucket: [
              { cumulativeCount: 1, upperBound: 1 },
              { cumulativeCount: 3, upperBound: Number.POSITIVE_INFINITY },
            ],
            schema: 0,
            zeroThreshold: 2 ** -128,
            zeroCount: 0,
            negativeSpan: [{ offset: 2, length: 1 }],
            negativeDelta: [1],
            positiveSpan: [
              { offset: 0, length: 5 },
              { offset: 5, length: 1 },
            ],
            positiveDelta: [1, 1, -2, 0, 1, 0],
          },
        },
      ],
    });
  });
});

describe('decodeProtobuf on bodies written by another encoder', () => {
  it('reads unpacked repeated fields, float histograms, gauge histograms and native exemplars', () => {
    // protobufjs writes proto2 repeated scalars unpacked; ours writes them packed.
    const message = MetricFamilyType.fromObject({
      name: 'gh',
      help: 'Gauge histogram.',
      type: 'GAUGE_HISTOGRAM',
      metric: [
        {
          label: [{ name: 'a', value: 'b' }],
          histogram: {
            sampleCount: 0,
            sampleCountFloat: 7.5,
            sampleSum: 3,
            schema: -2,
            zeroThreshold: 0.001,
            zeroCountFloat: 1.5,
            negativeSpan: [{ offset: -3, length: 2 }],
            negativeCount: [1, 2],
            positiveSpan: [{ offset: 1, length: 3 }],
            positiveDelta: [4, -1, -3],
            exemplars: [
              {
                label: [{ name: 'trace', value: 't1' }],
                value: 2,
                timestamp: { seconds: 5, nanos: 250_000_000 },
              },
            ],
          },
        },
      ],
    });
    const [family] = decodeProtobuf(MetricFamilyType.encodeDelimited(message).finish());
    expect(family!.type).toBe('gauge_histogram');
    expect(family!.metrics[0]!.labels).toEqual({ a: 'b' });
    expect(family!.metrics[0]!.histogram).toEqual({
      count: 7.5,
      sum: 3,
      buckets: [],
      native: {
        schema: -2,
        zeroThreshold: 0.001,
        zeroCount: 1.5,
        positiveSpans: [{ offset: 1, length: 3 }],
        positiveDeltas: [4, -1, -3],
        negativeSpans: [{ offset: -3, length: 2 }],
        negativeDeltas: [],
        negativeCounts: [1, 2],
      },
      exemplars: [{ labels: { trace: 't1' }, value: 2, timestamp: 5.25 }],
    });
  });
});
