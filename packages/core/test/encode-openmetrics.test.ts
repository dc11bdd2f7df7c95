import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeOpenMetrics, formatCanonical } from '../src/exposition/openmetrics';
import type { MetricFamily } from '../src/model';
import { richFamilies } from './exposition-fixtures';

interface Case {
  name: string;
  family: MetricFamily;
  expected: string;
}

const cases: Case[] = [
  {
    name: 'counter with _total: family name loses the suffix, sample keeps it',
    family: {
      name: 'requests_total',
      help: 'Total requests.',
      type: 'counter',
      points: [{ labels: {}, value: 3 }],
    },
    expected: '# TYPE requests counter\n# HELP requests Total requests.\nrequests_total 3\n',
  },
  {
    name: 'counter without _total gets one on its sample',
    family: {
      name: 'requests_total_counter',
      help: 'Requests.',
      type: 'counter',
      points: [{ labels: { method: 'GET', path: '/' }, value: 7 }],
    },
    expected:
      '# TYPE requests_total_counter counter\n# HELP requests_total_counter Requests.\n' +
      'requests_total_counter_total{method="GET",path="/"} 7\n',
  },
  {
    name: 'counter with _created, exemplar, timestamp',
    family: {
      name: 'jobs_total',
      help: 'Jobs.',
      type: 'counter',
      points: [
        {
          labels: { queue: 'a' },
          value: 17,
          created: 1_520_430_000.123,
          timestampMs: 1_520_879_607_789,
          exemplar: { labels: { id: 'counter-test' }, value: 5, timestamp: 1_520_879_607.5 },
        },
        { labels: { queue: 'b' }, value: 0, exemplar: { labels: {}, value: 0.5 } },
      ],
    },
    expected:
      '# TYPE jobs counter\n# HELP jobs Jobs.\n' +
      'jobs_total{queue="a"} 17 1520879607.789 # {id="counter-test"} 5 1520879607.5\n' +
      'jobs_created{queue="a"} 1520430000.123 1520879607.789\n' +
      'jobs_total{queue="b"} 0 # {} 0.5\n',
  },
  {
    name: 'counter with a unit: TYPE, UNIT, HELP in that order',
    family: {
      name: 'cpu_seconds_total',
      help: 'CPU time.',
      type: 'counter',
      unit: 'seconds',
      points: [{ labels: {}, value: 4.2, created: 1_605_281_325 }],
    },
    expected:
      '# TYPE cpu_seconds counter\n# UNIT cpu_seconds seconds\n# HELP cpu_seconds CPU time.\n' +
      'cpu_seconds_total 4.2\ncpu_seconds_created 1605281325\n',
  },
  {
    name: 'a unit that is not the name suffix is left out (the spec forbids it)',
    family: {
      name: 'latency',
      help: 'Latency.',
      type: 'gauge',
      unit: 'seconds',
      points: [{ labels: {}, value: 1 }],
    },
    expected: '# TYPE latency gauge\n# HELP latency Latency.\nlatency 1\n',
  },
  {
    name: 'gauge with labels needing escapes and unicode',
    family: {
      name: 'paths',
      help: 'Paths.',
      type: 'gauge',
      points: [
        {
          labels: { path: 'C:\\dir\\', quote: 'say "hi"', nl: 'a\nb', uni: 'ünï €😀 日本' },
          value: 1,
        },
      ],
    },
    expected:
      '# TYPE paths gauge\n# HELP paths Paths.\n' +
      'paths{path="C:\\\\dir\\\\",quote="say \\"hi\\"",nl="a\\nb",uni="ünï €😀 日本"} 1\n',
  },
  {
    name: 'HELP escapes backslash, newline and quote',
    family: { name: 'odd_help', help: 'a\\b\nc "d"', type: 'gauge', points: [] },
    expected: '# TYPE odd_help gauge\n# HELP odd_help a\\\\b\\nc \\"d\\"\n',
  },
  {
    name: 'HELP with a quote only is escaped',
    family: { name: 'quoted_help', help: 'say "hi"', type: 'gauge', points: [] },
    expected: '# TYPE quoted_help gauge\n# HELP quoted_help say \\"hi\\"\n',
  },
  {
    name: 'empty HELP keeps the separating space',
    family: { name: 'no_help', help: '', type: 'gauge', points: [{ labels: {}, value: 0 }] },
    expected: '# TYPE no_help gauge\n# HELP no_help \nno_help 0\n',
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
      ],
    },
    expected:
      '# TYPE values gauge\n# HELP values Values.\n' +
      'values{v="nan"} NaN\n' +
      'values{v="inf"} +Inf\n' +
      'values{v="-inf"} -Inf\n' +
      'values{v="-0"} 0\n' +
      'values{v="tiny"} 1e-7\n' +
      'values{v="2^53"} 9007199254740992\n' +
      'values{v="1e21"} 1e+21\n',
  },
  {
    name: 'family without points',
    family: { name: 'idle_total', help: 'Idle.', type: 'counter', points: [] },
    expected: '# TYPE idle counter\n# HELP idle Idle.\n',
  },
  {
    name: 'untyped is unknown',
    family: {
      name: 'legacy',
      help: 'Legacy.',
      type: 'untyped',
      points: [{ labels: {}, value: 42.23 }],
    },
    expected: '# TYPE legacy unknown\n# HELP legacy Legacy.\nlegacy 42.23\n',
  },
  {
    name: 'info: family without _info, sample with it',
    family: {
      name: 'build_info',
      help: 'Build.',
      type: 'info',
      points: [{ labels: { name: 'pretty name', version: '8.2.7' } }],
    },
    expected:
      '# TYPE build info\n# HELP build Build.\nbuild_info{name="pretty name",version="8.2.7"} 1\n',
  },
  {
    name: 'info given without _info',
    family: { name: 'target', help: 'Target.', type: 'info', points: [{ labels: {} }] },
    expected: '# TYPE target info\n# HELP target Target.\ntarget_info 1\n',
  },
  {
    name: 'state set: points as given, no unit',
    family: {
      name: 'foo',
      help: 'States.',
      type: 'stateset',
      unit: 'ignored',
      points: [
        { labels: { entity: 'controller', foo: 'a' }, value: 1 },
        { labels: { entity: 'controller', foo: 'bb' }, value: 0 },
      ],
    },
    expected:
      '# TYPE foo stateset\n# HELP foo States.\n' +
      'foo{entity="controller",foo="a"} 1\nfoo{entity="controller",foo="bb"} 0\n',
  },
  {
    name: 'histogram: canonical le, cumulative counts, exemplars, _created',
    family: {
      name: 'foo_seconds',
      help: 'Foo.',
      type: 'histogram',
      unit: 'seconds',
      points: [
        {
          labels: { a: 'x' },
          value: {
            bounds: [0, 1e-5, 0.0001, 0.1, 1, 10, 100_000, 1e6, 1e23, 1.1e23],
            counts: [0, 0, 5, 3, 2, 1, 0, 4, 1, 1, 0],
            count: 17,
            sum: 324_789.3,
            exemplars: [
              undefined,
              undefined,
              undefined,
              { labels: {}, value: 0.054 },
              { labels: { trace_id: 'KOO5S4vxi0o' }, value: 0.67 },
              { labels: { trace_id: 'oHg5SJYRHA0' }, value: 9.8, timestamp: 1_520_879_607.789 },
            ],
          },
          created: 1_520_430_000.123,
        },
      ],
    },
    expected:
      '# TYPE foo_seconds histogram\n# UNIT foo_seconds seconds\n# HELP foo_seconds Foo.\n' +
      'foo_seconds_bucket{a="x",le="0.0"} 0\n' +
      'foo_seconds_bucket{a="x",le="1e-05"} 0\n' +
      'foo_seconds_bucket{a="x",le="0.0001"} 5\n' +
      'foo_seconds_bucket{a="x",le="0.1"} 8 # {} 0.054\n' +
      'foo_seconds_bucket{a="x",le="1.0"} 10 # {trace_id="KOO5S4vxi0o"} 0.67\n' +
      'foo_seconds_bucket{a="x",le="10.0"} 11 # {trace_id="oHg5SJYRHA0"} 9.8 1520879607.789\n' +
      'foo_seconds_bucket{a="x",le="100000.0"} 11\n' +
      'foo_seconds_bucket{a="x",le="1e+06"} 15\n' +
      'foo_seconds_bucket{a="x",le="1e+23"} 16\n' +
      'foo_seconds_bucket{a="x",le="1.1e+23"} 17\n' +
      'foo_seconds_bucket{a="x",le="+Inf"} 17\n' +
      'foo_seconds_sum{a="x"} 324789.3\n' +
      'foo_seconds_count{a="x"} 17\n' +
      'foo_seconds_created{a="x"} 1520430000.123\n',
  },
  {
    name: 'histogram without labels, timestamp in seconds',
    family: {
      name: 'probe_seconds',
      help: 'Probe.',
      type: 'histogram',
      points: [
        {
          labels: {},
          timestampMs: 1_700_000_000_123,
          value: { bounds: [1], counts: [1, 0], count: 1, sum: 0.5 },
        },
      ],
    },
    expected:
      '# TYPE probe_seconds histogram\n# HELP probe_seconds Probe.\n' +
      'probe_seconds_bucket{le="1.0"} 1 1700000000.123\n' +
      'probe_seconds_bucket{le="+Inf"} 1 1700000000.123\n' +
      'probe_seconds_sum 0.5 1700000000.123\n' +
      'probe_seconds_count 1 1700000000.123\n',
  },
  {
    name: 'histogram with negative bounds keeps _sum and _count (a deliberate deviation)',
    family: {
      name: 'temperature_celsius',
      help: 'Temperature.',
      type: 'histogram',
      points: [
        { labels: {}, value: { bounds: [-10, 0, 25.5], counts: [1, 2, 3, 0], count: 6, sum: 40 } },
      ],
    },
    expected:
      '# TYPE temperature_celsius histogram\n# HELP temperature_celsius Temperature.\n' +
      'temperature_celsius_bucket{le="-10.0"} 1\n' +
      'temperature_celsius_bucket{le="0.0"} 3\n' +
      'temperature_celsius_bucket{le="25.5"} 6\n' +
      'temperature_celsius_bucket{le="+Inf"} 6\n' +
      'temperature_celsius_sum 40\n' +
      'temperature_celsius_count 6\n',
  },
  {
    name: 'native-only histogram shows the +Inf bucket, sum and count',
    family: {
      name: 'native_seconds',
      help: 'Native.',
      type: 'histogram',
      points: [
        {
          labels: {},
          value: {
            bounds: [],
            counts: [],
            count: 5,
            sum: 1.5,
            native: {
              schema: 3,
              zeroThreshold: 0,
              zeroCount: 0,
              positiveSpans: [{ offset: 0, length: 1 }],
              positiveDeltas: [5],
              negativeSpans: [],
              negativeDeltas: [],
            },
          },
          created: 1_700_000_000,
        },
      ],
    },
    expected:
      '# TYPE native_seconds histogram\n# HELP native_seconds Native.\n' +
      'native_seconds_bucket{le="+Inf"} 5\n' +
      'native_seconds_sum 1.5\n' +
      'native_seconds_count 5\n' +
      'native_seconds_created 1700000000\n',
  },
  {
    name: 'summary: canonical quantiles, _created',
    family: {
      name: 'rpc_seconds',
      help: 'RPC.',
      type: 'summary',
      points: [
        {
          labels: { service: 'x' },
          value: {
            count: 3,
            sum: 0.75,
            quantiles: [
              { quantile: 0, value: 0.1 },
              { quantile: 0.5, value: 0.2 },
              { quantile: 0.99, value: 0.4 },
              { quantile: 1, value: 0.4 },
            ],
          },
          created: 1_700_000_000.5,
        },
        {
          labels: {},
          value: { count: 0, sum: 0, quantiles: [{ quantile: 0.5, value: Number.NaN }] },
        },
      ],
    },
    expected:
      '# TYPE rpc_seconds summary\n# HELP rpc_seconds RPC.\n' +
      'rpc_seconds{service="x",quantile="0.0"} 0.1\n' +
      'rpc_seconds{service="x",quantile="0.5"} 0.2\n' +
      'rpc_seconds{service="x",quantile="0.99"} 0.4\n' +
      'rpc_seconds{service="x",quantile="1.0"} 0.4\n' +
      'rpc_seconds_sum{service="x"} 0.75\n' +
      'rpc_seconds_count{service="x"} 3\n' +
      'rpc_seconds_created{service="x"} 1700000000.5\n' +
      'rpc_seconds{quantile="0.5"} NaN\n' +
      'rpc_seconds_sum 0\n' +
      'rpc_seconds_count 0\n',
  },
];

/** The table's expected page as written by default: without the `_created` samples. */
function withoutCreated(expected: string): string {
  return expected
    .split('\n')
    .filter((line) => !/^[a-zA-Z_:][a-zA-Z0-9_:]*_created[{ ]/.test(line))
    .join('\n');
}

describe('encodeOpenMetrics', () => {
  it.each(cases)('$name', ({ family, expected }) => {
    expect(encodeOpenMetrics([family], { created: true })).toBe(`${expected}# EOF\n`);
  });

  it.each(cases)('$name, by default without _created', ({ family, expected }) => {
    const page = encodeOpenMetrics([family]);
    expect(page).toBe(`${withoutCreated(expected)}# EOF\n`);
    expect(page).not.toContain('_created');
  });

  it('writes families in order and one # EOF at the end', () => {
    const all = cases.map((c) => c.family);
    expect(encodeOpenMetrics(all, { created: true })).toBe(
      `${cases.map((c) => c.expected).join('')}# EOF\n`,
    );
    expect(encodeOpenMetrics(all)).toBe(
      `${cases.map((c) => withoutCreated(c.expected)).join('')}# EOF\n`,
    );
  });

  it('writes only # EOF for no families', () => {
    expect(encodeOpenMetrics([])).toBe('# EOF\n');
  });

  it('uses the cached labelText of a point', () => {
    const family: MetricFamily = {
      name: 'cached',
      help: 'Cached.',
      type: 'gauge',
      points: [{ labels: { a: 'x' }, labelText: 'a="from-cache"', value: 1 }],
    };
    expect(encodeOpenMetrics([family])).toContain('cached{a="from-cache"} 1\n');
  });

  it('every table case and the rich page follow the OpenMetrics 1.0 ABNF and structure rules', () => {
    for (const families of [cases.map((c) => c.family), richFamilies()]) {
      expect(checkOpenMetrics(encodeOpenMetrics(families))).toEqual([]);
      expect(checkOpenMetrics(encodeOpenMetrics(families, { created: true }))).toEqual([]);
    }
  });

  it('the checker itself rejects what the spec forbids', () => {
    const bad = [
      '# TYPE a gauge\na 1\n', // no EOF
      '# TYPE a gauge\n# HELP a say "x"\na 1\n# EOF\n', // raw quote in HELP
      '# TYPE a counter\na 1\n# EOF\n', // counter sample without _total
      '# TYPE a histogram\na_bucket{le="1"} 1\na_bucket{le="+Inf"} 1\n# EOF\n', // non-canonical le
      '# TYPE a histogram\na_bucket{le="1.0"} 2\na_bucket{le="+Inf"} 1\n# EOF\n', // not cumulative
      '# TYPE a histogram\na_bucket{le="1.0"} 1\n# EOF\n', // no +Inf
      '# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n# EOF\n', // interleaved
      '# HELP a x\n# TYPE a gauge\na 1\n# EOF\n', // HELP before TYPE
      '# TYPE a gauge\na{x="1} 1\n# EOF\n', // broken label
    ];
    for (const page of bad) expect(checkOpenMetrics(page), page).not.toEqual([]);
  });
});

describe('formatCanonical', () => {
  // The spec's own examples (OpenMetrics 1.0, "Considerations: Canonical Numbers").
  it.each([
    [0, '0.0'],
    [0.001, '0.001'],
    [0.002, '0.002'],
    [0.01, '0.01'],
    [0.1, '0.1'],
    [0.9, '0.9'],
    [0.95, '0.95'],
    [0.99, '0.99'],
    [0.999, '0.999'],
    [1, '1.0'],
    [1.7, '1.7'],
    [10, '10.0'],
    [1e-10, '1e-10'],
    [1e-9, '1e-09'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [100_000, '100000.0'],
    [1e6, '1e+06'],
    [1e10, '1e+10'],
    [1.1e23, '1.1e+23'],
    [123_456_789, '1.23456789e+08'],
    [0.005, '0.005'],
    [2.5, '2.5'],
    [-1, '-1.0'],
    [-2.5e-7, '-2.5e-07'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [Number.NaN, 'NaN'],
  ])('%d → %s', (value, expected) => {
    expect(formatCanonical(value)).toBe(expected);
  });

  it('round-trips every finite double and always shows a point or an exponent (property)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = formatCanonical(value);
        expect(text).toMatch(/^-?\d+(?:\.\d+)?(?:e[+-]\d{2,3})?$/);
        expect(text).toMatch(/[.e]/);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
    );
  });
});

// ---------------------------------------------------------------------------
// A strict checker for OpenMetrics 1.0 text, from the ABNF and the MUSTs around it.

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const ESCAPED = '(?:[^"\\\\\\n]|\\\\[^\\n])*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="${ESCAPED}"`;
const LABELS = `\\{(?:${LABEL}(?:,${LABEL})*)?\\}`;
const REAL = '[+-]?(?:\\d+(?:\\.\\d*)?(?:[eE][+-]?\\d+)?|\\d*\\.\\d+(?:[eE][+-]?\\d+)?)';
const NUMBER = `(?:${REAL}|[+-]?(?:[iI][nN][fF](?:[iI][nN][iI][tT][yY])?)|[nN][aA][nN])`;
const SAMPLE = new RegExp(
  `^(${NAME})(${LABELS})? (${NUMBER})(?: ${REAL})?(?: # ${LABELS} ${NUMBER}(?: ${REAL})?)?$`,
);
const TYPES = 'counter|gauge|histogram|gaugehistogram|stateset|info|summary|unknown';
const DESCRIPTOR = new RegExp(
  `^# (?:TYPE (${NAME}) (${TYPES})|UNIT (${NAME}) [a-zA-Z0-9_:]*|HELP (${NAME}) (?:[^"\\\\\\n]|\\\\[^\\n])*)$`,
);
const SUFFIXES: Record<string, readonly string[]> = {
  counter: ['_total', '_created'],
  gauge: [''],
  unknown: [''],
  stateset: [''],
  info: ['_info'],
  histogram: ['_bucket', '_sum', '_count', '_created'],
  summary: ['', '_sum', '_count', '_created'],
};

function checkOpenMetrics(page: string): string[] {
  const problems: string[] = [];
  if (!page.endsWith('# EOF\n')) problems.push('does not end with "# EOF\\n"');
  const lines = page.split('\n');
  lines.pop();
  const seenFamilies = new Set<string>();
  let family = '';
  let type = '';
  let descriptorOrder = 0; // 1 TYPE, 2 UNIT, 3 HELP
  let samplesStarted = false;
  let buckets: { series: string; le: number; count: number }[] = [];
  const flushBuckets = (): void => {
    if (buckets.length === 0) return;
    if (buckets.at(-1)!.le !== Number.POSITIVE_INFINITY) {
      problems.push(`${family}: histogram series ${buckets[0]!.series} without le="+Inf"`);
    }
    buckets = [];
  };
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line === '# EOF') {
      if (n !== lines.length - 1) problems.push(`line ${n + 1}: # EOF before the end`);
      continue;
    }
    if (line.startsWith('#')) {
      const d = DESCRIPTOR.exec(line);
      if (d === null) {
        problems.push(`line ${n + 1}: not a valid descriptor: ${line}`);
        continue;
      }
      const name = d[1] ?? d[3] ?? d[4]!;
      const order = d[1] !== undefined ? 1 : d[3] !== undefined ? 2 : 3;
      if (name !== family || samplesStarted) {
        flushBuckets();
        if (seenFamilies.has(name)) problems.push(`line ${n + 1}: family ${name} interleaved`);
        if (order !== 1) problems.push(`line ${n + 1}: ${name} does not start with TYPE`);
        seenFamilies.add(name);
        family = name;
        type = d[2] ?? 'unknown';
        descriptorOrder = 0;
        samplesStarted = false;
      }
      if (order <= descriptorOrder) problems.push(`line ${n + 1}: descriptors out of order`);
      descriptorOrder = order;
      continue;
    }
    const s = SAMPLE.exec(line);
    if (s === null) {
      problems.push(`line ${n + 1}: not a valid sample: ${line}`);
      continue;
    }
    samplesStarted = true;
    const sampleName = s[1]!;
    const labels = s[2] ?? '{}';
    const suffixes = SUFFIXES[type] ?? [''];
    if (!suffixes.some((suffix) => sampleName === family + suffix)) {
      problems.push(`line ${n + 1}: ${sampleName} does not belong to ${type} family ${family}`);
    }
    if (type === 'histogram' && sampleName === `${family}_bucket`) {
      const le = /le="([^"]*)"/.exec(labels)?.[1];
      if (le === undefined) {
        problems.push(`line ${n + 1}: bucket without le`);
        continue;
      }
      const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
      if (formatCanonical(bound) !== le)
        problems.push(`line ${n + 1}: le="${le}" is not canonical`);
      const series = labels.replace(/,?le="[^"]*"/, '');
      const count = Number(s[3]);
      const previous = buckets.at(-1);
      if (previous !== undefined && previous.series === series) {
        if (bound <= previous.le) problems.push(`line ${n + 1}: le not increasing`);
        if (count < previous.count) problems.push(`line ${n + 1}: buckets not cumulative`);
      } else {
        flushBuckets();
      }
      buckets.push({ series, le: bound, count });
    } else if (type === 'histogram') {
      flushBuckets();
    }
    if (type === 'summary' && sampleName === family) {
      const q = /quantile="([^"]*)"/.exec(labels)?.[1];
      if (q === undefined || formatCanonical(Number(q)) !== q) {
        problems.push(`line ${n + 1}: quantile ${q} missing or not canonical`);
      }
    }
  }
  flushBuckets();
  return problems;
}
