import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeText } from '../src/exposition/text';
import type { MetricFamily } from '../src/model';

interface Case {
  name: string;
  family: MetricFamily;
  expected: string;
}

const cases: Case[] = [
  {
    name: 'counter with _total, no labels',
    family: {
      name: 'requests_total',
      help: 'Total requests.',
      type: 'counter',
      points: [{ labels: {}, value: 3 }],
    },
    expected:
      '# HELP requests_total Total requests.\n# TYPE requests_total counter\nrequests_total 3\n',
  },
  {
    name: 'counter without _total keeps its name (aioprometheus names)',
    family: {
      name: 'requests_total_counter',
      help: 'Requests.',
      type: 'counter',
      points: [{ labels: { method: 'GET', path: '/' }, value: 7 }],
    },
    expected:
      '# HELP requests_total_counter Requests.\n# TYPE requests_total_counter counter\n' +
      'requests_total_counter{method="GET",path="/"} 7\n',
  },
  {
    name: 'counter: _created and exemplars are not part of text 0.0.4',
    family: {
      name: 'jobs_total',
      help: 'Jobs.',
      type: 'counter',
      points: [
        {
          labels: { queue: 'a' },
          value: 2.5,
          created: 1_700_000_000.25,
          exemplar: { labels: { trace_id: 'abc' }, value: 1, timestamp: 1_700_000_001 },
        },
      ],
    },
    expected: '# HELP jobs_total Jobs.\n# TYPE jobs_total counter\njobs_total{queue="a"} 2.5\n',
  },
  {
    name: 'gauge with several labels in insertion order',
    family: {
      name: 'temperature_celsius',
      help: 'Temperature.',
      type: 'gauge',
      unit: 'celsius',
      points: [
        { labels: { room: 'kitchen', floor: '1', sensor: 'b' }, value: 21.5 },
        { labels: { room: 'attic', floor: '3', sensor: 'a' }, value: -4 },
      ],
    },
    expected:
      '# HELP temperature_celsius Temperature.\n# TYPE temperature_celsius gauge\n' +
      'temperature_celsius{room="kitchen",floor="1",sensor="b"} 21.5\n' +
      'temperature_celsius{room="attic",floor="3",sensor="a"} -4\n',
  },
  {
    name: 'label values with quote, backslash, newline and unicode',
    family: {
      name: 'paths',
      help: 'Paths.',
      type: 'gauge',
      points: [
        {
          labels: {
            path: 'C:\\dir\\',
            quote: 'say "hi"',
            nl: 'a\nb',
            uni: 'ünï €😀 日本',
            empty: '',
          },
          value: 1,
        },
      ],
    },
    expected:
      '# HELP paths Paths.\n# TYPE paths gauge\n' +
      'paths{path="C:\\\\dir\\\\",quote="say \\"hi\\"",nl="a\\nb",uni="ünï €😀 日本",empty=""} 1\n',
  },
  {
    name: 'HELP escapes backslash and newline but keeps quotes',
    family: {
      name: 'odd_help',
      help: 'Line one\\two\nline "three"',
      type: 'gauge',
      points: [],
    },
    expected: '# HELP odd_help Line one\\\\two\\nline "three"\n# TYPE odd_help gauge\n',
  },
  {
    name: 'HELP with quotes only is written as it is',
    family: { name: 'quoted_help', help: 'say "hi"', type: 'gauge', points: [] },
    expected: '# HELP quoted_help say "hi"\n# TYPE quoted_help gauge\n',
  },
  {
    name: 'HELP with a newline only is escaped',
    family: { name: 'nl_help', help: 'a\nb', type: 'gauge', points: [] },
    expected: '# HELP nl_help a\\nb\n# TYPE nl_help gauge\n',
  },
  {
    name: 'empty HELP keeps the separating space',
    family: { name: 'no_help', help: '', type: 'gauge', points: [{ labels: {}, value: 0 }] },
    expected: '# HELP no_help \n# TYPE no_help gauge\nno_help 0\n',
  },
  {
    name: 'special and extreme values',
    family: {
      name: 'values',
      help: 'Values.',
      type: 'gauge',
      points: [
        { labels: { v: 'nan' }, value: Number.NaN },
        { labels: { v: 'inf' }, value: Number.POSITIVE_INFINITY },
        { labels: { v: '-inf' }, value: Number.NEGATIVE_INFINITY },
        { labels: { v: '-0' }, value: -0 },
        { labels: { v: 'tiny' }, value: 1e-7 },
        { labels: { v: '2^53' }, value: 2 ** 53 },
        { labels: { v: '1e21' }, value: 1e21 },
        { labels: { v: 'float' }, value: 0.1 + 0.2 },
        { labels: { v: 'min' }, value: Number.MIN_VALUE },
        { labels: { v: 'max' }, value: Number.MAX_VALUE },
      ],
    },
    expected:
      '# HELP values Values.\n# TYPE values gauge\n' +
      'values{v="nan"} NaN\n' +
      'values{v="inf"} +Inf\n' +
      'values{v="-inf"} -Inf\n' +
      'values{v="-0"} 0\n' +
      'values{v="tiny"} 1e-7\n' +
      'values{v="2^53"} 9007199254740992\n' +
      'values{v="1e21"} 1e+21\n' +
      'values{v="float"} 0.30000000000000004\n' +
      'values{v="min"} 5e-324\n' +
      'values{v="max"} 1.7976931348623157e+308\n',
  },
  {
    name: 'family without points still prints HELP and TYPE',
    family: { name: 'empty_total', help: 'Nothing yet.', type: 'counter', points: [] },
    expected: '# HELP empty_total Nothing yet.\n# TYPE empty_total counter\n',
  },
  {
    name: 'untyped',
    family: {
      name: 'legacy',
      help: 'Legacy.',
      type: 'untyped',
      points: [{ labels: {}, value: 42 }],
    },
    expected: '# HELP legacy Legacy.\n# TYPE legacy untyped\nlegacy 42\n',
  },
  {
    name: 'info given without _info becomes a gauge named <name>_info',
    family: {
      name: 'build',
      help: 'Build information.',
      type: 'info',
      points: [{ labels: { version: '1.2.3', commit: 'abc' } }],
    },
    expected:
      '# HELP build_info Build information.\n# TYPE build_info gauge\n' +
      'build_info{version="1.2.3",commit="abc"} 1\n',
  },
  {
    name: 'info given with _info is not suffixed twice',
    family: { name: 'target_info', help: 'Target.', type: 'info', points: [{ labels: {} }] },
    expected: '# HELP target_info Target.\n# TYPE target_info gauge\ntarget_info 1\n',
  },
  {
    name: 'state set renders as a gauge',
    family: {
      name: 'service_state',
      help: 'State.',
      type: 'stateset',
      points: [
        { labels: { instance: 'a', service_state: 'running' }, value: 1 },
        { labels: { instance: 'a', service_state: 'stopped' }, value: 0 },
      ],
    },
    expected:
      '# HELP service_state State.\n# TYPE service_state gauge\n' +
      'service_state{instance="a",service_state="running"} 1\n' +
      'service_state{instance="a",service_state="stopped"} 0\n',
  },
  {
    name: 'histogram: counts are cumulated, le after the series labels',
    family: {
      name: 'latency_seconds',
      help: 'Latency.',
      type: 'histogram',
      points: [
        {
          labels: { route: '/a' },
          value: { bounds: [0.005, 1, 2.5], counts: [1, 2, 0, 3], count: 6, sum: 12.25 },
          created: 1_700_000_000,
        },
        {
          labels: { route: '/b' },
          value: { bounds: [0.005, 1, 2.5], counts: [0, 0, 0, 0], count: 0, sum: 0 },
        },
      ],
    },
    expected:
      '# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n' +
      'latency_seconds_bucket{route="/a",le="0.005"} 1\n' +
      'latency_seconds_bucket{route="/a",le="1"} 3\n' +
      'latency_seconds_bucket{route="/a",le="2.5"} 3\n' +
      'latency_seconds_bucket{route="/a",le="+Inf"} 6\n' +
      'latency_seconds_sum{route="/a"} 12.25\n' +
      'latency_seconds_count{route="/a"} 6\n' +
      'latency_seconds_bucket{route="/b",le="0.005"} 0\n' +
      'latency_seconds_bucket{route="/b",le="1"} 0\n' +
      'latency_seconds_bucket{route="/b",le="2.5"} 0\n' +
      'latency_seconds_bucket{route="/b",le="+Inf"} 0\n' +
      'latency_seconds_sum{route="/b"} 0\n' +
      'latency_seconds_count{route="/b"} 0\n',
  },
  {
    name: 'histogram without labels, typed-array data, points with different bounds',
    family: {
      name: 'size_bytes',
      help: 'Sizes.',
      type: 'histogram',
      points: [
        {
          labels: {},
          value: {
            bounds: Float64Array.of(100, 1e6),
            counts: Float64Array.of(2, 1, 1),
            count: 4,
            sum: 2_000_300,
          },
        },
        {
          labels: { kind: 'big' },
          value: { bounds: [1e21], counts: [0, 1], count: 1, sum: 2e21 },
        },
      ],
    },
    expected:
      '# HELP size_bytes Sizes.\n# TYPE size_bytes histogram\n' +
      'size_bytes_bucket{le="100"} 2\n' +
      'size_bytes_bucket{le="1000000"} 3\n' +
      'size_bytes_bucket{le="+Inf"} 4\n' +
      'size_bytes_sum 2000300\n' +
      'size_bytes_count 4\n' +
      'size_bytes_bucket{kind="big",le="1e+21"} 0\n' +
      'size_bytes_bucket{kind="big",le="+Inf"} 1\n' +
      'size_bytes_sum{kind="big"} 2e+21\n' +
      'size_bytes_count{kind="big"} 1\n',
  },
  {
    name: 'native-only histogram shows the +Inf bucket, sum and count',
    family: {
      name: 'native_seconds',
      help: 'Native.',
      type: 'histogram',
      points: [
        {
          labels: { a: 'b' },
          value: {
            bounds: [],
            counts: [],
            count: 5,
            sum: 1.5,
            native: {
              schema: 3,
              zeroThreshold: 2.938735877055719e-39,
              zeroCount: 1,
              positiveSpans: [{ offset: 0, length: 2 }],
              positiveDeltas: [3, -2],
              negativeSpans: [],
              negativeDeltas: [],
            },
          },
        },
      ],
    },
    expected:
      '# HELP native_seconds Native.\n# TYPE native_seconds histogram\n' +
      'native_seconds_bucket{a="b",le="+Inf"} 5\n' +
      'native_seconds_sum{a="b"} 1.5\n' +
      'native_seconds_count{a="b"} 5\n',
  },
  {
    name: 'summary with quantiles, with and without labels',
    family: {
      name: 'rpc_seconds',
      help: 'RPC.',
      type: 'summary',
      points: [
        {
          labels: {},
          value: {
            count: 3,
            sum: 0.75,
            quantiles: [
              { quantile: 0.5, value: 0.2 },
              { quantile: 0.99, value: 0.4 },
              { quantile: 1, value: 0.4 },
            ],
          },
          created: 1_700_000_000,
        },
        {
          labels: { service: 'x' },
          value: { count: 0, sum: 0, quantiles: [{ quantile: 0.5, value: Number.NaN }] },
        },
      ],
    },
    expected:
      '# HELP rpc_seconds RPC.\n# TYPE rpc_seconds summary\n' +
      'rpc_seconds{quantile="0.5"} 0.2\n' +
      'rpc_seconds{quantile="0.99"} 0.4\n' +
      'rpc_seconds{quantile="1"} 0.4\n' +
      'rpc_seconds_sum 0.75\n' +
      'rpc_seconds_count 3\n' +
      'rpc_seconds{service="x",quantile="0.5"} NaN\n' +
      'rpc_seconds_sum{service="x"} 0\n' +
      'rpc_seconds_count{service="x"} 0\n',
  },
  {
    name: 'timestamps are integer milliseconds on every sample of the point',
    family: {
      name: 'probe_seconds',
      help: 'Probe.',
      type: 'histogram',
      points: [
        {
          labels: {},
          timestampMs: 1_700_000_000_123.6,
          value: { bounds: [1], counts: [1, 0], count: 1, sum: 0.5 },
        },
      ],
    },
    expected:
      '# HELP probe_seconds Probe.\n# TYPE probe_seconds histogram\n' +
      'probe_seconds_bucket{le="1"} 1 1700000000124\n' +
      'probe_seconds_bucket{le="+Inf"} 1 1700000000124\n' +
      'probe_seconds_sum 0.5 1700000000124\n' +
      'probe_seconds_count 1 1700000000124\n',
  },
  {
    name: 'gauge timestamp',
    family: {
      name: 'last_seen',
      help: 'Seen.',
      type: 'gauge',
      points: [{ labels: { a: 'x' }, value: 1, timestampMs: 1_520_879_607_789 }],
    },
    expected: '# HELP last_seen Seen.\n# TYPE last_seen gauge\nlast_seen{a="x"} 1 1520879607789\n',
  },
];

describe('encodeText', () => {
  it.each(cases)('$name', ({ family, expected }) => {
    expect(encodeText([family])).toBe(expected);
  });

  it('writes families one after the other in the given order', () => {
    const all = cases.map((c) => c.family);
    expect(encodeText(all)).toBe(cases.map((c) => c.expected).join(''));
  });

  it('writes nothing for no families', () => {
    expect(encodeText([])).toBe('');
  });

  it('uses the cached labelText of a point instead of escaping its labels again', () => {
    const family: MetricFamily = {
      name: 'cached',
      help: 'Cached.',
      type: 'gauge',
      points: [{ labels: { a: 'x"y' }, labelText: 'a="from-cache"', value: 1 }],
    };
    expect(encodeText([family])).toContain('cached{a="from-cache"} 1\n');
  });

  it('keeps every label value on one line and reversible (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.double(), (value, sample) => {
        const text = encodeText([
          {
            name: 'p',
            help: value,
            type: 'gauge',
            points: [{ labels: { v: value }, value: sample }],
          },
        ]);
        const lines = text.split('\n');
        expect(lines).toHaveLength(4);
        const line = lines[2]!;
        const match = /^p\{v="((?:[^"\\\n]|\\[\\"n])*)"\} (\S+)$/.exec(line);
        expect(match).not.toBeNull();
        const unescaped = match![1]!.replace(/\\([\\"n])/g, (_, c: string) =>
          c === 'n' ? '\n' : c,
        );
        expect(unescaped).toBe(value);
        const spelled = match![2]!;
        const parsed = spelled.endsWith('Inf')
          ? Number(`${spelled.slice(0, -3)}Infinity`)
          : Number(spelled);
        expect(Object.is(parsed, sample) || (parsed === 0 && sample === 0)).toBe(true);
      }),
    );
  });
});
