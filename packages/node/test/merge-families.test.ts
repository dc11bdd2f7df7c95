import {
  Counter,
  Gauge,
  Histogram,
  Info,
  type MetricFamily,
  Registry,
  StateSet,
  Summary,
} from '@promkit/core';
import { describe, expect, it } from 'vitest';
import {
  type Aggregation,
  AggregationError,
  decodeSnapshot,
  encodeSnapshot,
  mergeFamilies,
  type WorkerSnapshot,
} from '../src/index';

function gauge(name: string, points: Array<[Record<string, string>, number]>): MetricFamily {
  return {
    name,
    help: `${name} help`,
    type: 'gauge',
    points: points.map(([labels, value]) => ({ labels, value })),
  };
}

function snap(worker: string, ...families: MetricFamily[]): WorkerSnapshot {
  return { worker, families };
}

function values(families: MetricFamily[], name: string): Array<[Record<string, string>, number]> {
  const family = families.find((f) => f.name === name);
  return (family?.points ?? []).map((p) => [p.labels, (p as unknown as { value: number }).value]);
}

describe('mergeFamilies: gauges and counters', () => {
  const workers = [
    snap(
      '1',
      gauge('g', [
        [{ a: 'x' }, 2],
        [{ a: 'y' }, 10],
      ]),
    ),
    snap('2', gauge('g', [[{ a: 'x' }, 6]])),
    snap('3', gauge('g', [[{ a: 'x' }, 4]])),
  ];

  it.each([
    [
      'sum',
      [
        [{ a: 'x' }, 12],
        [{ a: 'y' }, 10],
      ],
    ],
    [
      'min',
      [
        [{ a: 'x' }, 2],
        [{ a: 'y' }, 10],
      ],
    ],
    [
      'max',
      [
        [{ a: 'x' }, 6],
        [{ a: 'y' }, 10],
      ],
    ],
    [
      'average',
      [
        [{ a: 'x' }, 4],
        [{ a: 'y' }, 10],
      ],
    ],
    [
      'first',
      [
        [{ a: 'x' }, 2],
        [{ a: 'y' }, 10],
      ],
    ],
  ] as Array<[Aggregation, Array<[Record<string, string>, number]>]>)(
    '%s combines series with the same labels',
    (mode, expected) => {
      expect(values(mergeFamilies(workers, { aggregation: { g: mode } }), 'g')).toEqual(expected);
    },
  );

  it('omit drops the metric', () => {
    expect(mergeFamilies(workers, { aggregation: { g: 'omit' } })).toEqual([]);
  });

  it('all keeps every series with a worker label', () => {
    expect(
      values(mergeFamilies(workers, { aggregation: { g: 'all' }, workerLabel: 'w' }), 'g'),
    ).toEqual([
      [{ a: 'x', w: '1' }, 2],
      [{ a: 'y', w: '1' }, 10],
      [{ a: 'x', w: '2' }, 6],
      [{ a: 'x', w: '3' }, 4],
    ]);
  });

  it('gauges default to gaugeAggregation, counters always default to sum', () => {
    const counter = (value: number): MetricFamily => ({
      name: 'c_total',
      help: '',
      type: 'counter',
      points: [{ labels: {}, value }],
    });
    const merged = mergeFamilies(
      [snap('1', gauge('g', [[{}, 1]]), counter(1)), snap('2', gauge('g', [[{}, 5]]), counter(2))],
      { gaugeAggregation: 'max' },
    );
    expect(values(merged, 'g')).toEqual([[{}, 5]]);
    expect(values(merged, 'c_total')).toEqual([[{}, 3]]);
  });

  it('matches label sets whatever the order the labels were added in', () => {
    const merged = mergeFamilies([
      snap('1', gauge('g', [[{ a: '1', b: '2' }, 1]])),
      snap('2', gauge('g', [[{ b: '2', a: '1' }, 1]])),
    ]);
    expect(values(merged, 'g')).toEqual([[{ a: '1', b: '2' }, 2]]);
  });

  it('does not confuse label values that only concatenate alike', () => {
    const merged = mergeFamilies([
      snap('1', gauge('g', [[{ a: 'x=1', b: '' }, 1]])),
      snap('2', gauge('g', [[{ a: 'x', b: '=1' }, 1]])),
    ]);
    expect(values(merged, 'g')).toHaveLength(2);
  });

  it('uses worker hints, and the primary option over hints', () => {
    const workersWithHints: WorkerSnapshot[] = [
      { worker: '1', families: [gauge('g', [[{}, 1]])], hints: { g: 'max' } },
      { worker: '2', families: [gauge('g', [[{}, 7]])] },
    ];
    expect(values(mergeFamilies(workersWithHints), 'g')).toEqual([[{}, 7]]);
    expect(values(mergeFamilies(workersWithHints, { aggregation: { g: 'min' } }), 'g')).toEqual([
      [{}, 1],
    ]);
  });

  it('reports a type clash and keeps the first type', () => {
    const errors: Error[] = [];
    const merged = mergeFamilies(
      [
        snap('1', gauge('m', [[{}, 1]])),
        snap('2', { name: 'm', help: '', type: 'counter', points: [{ labels: {}, value: 5 }] }),
      ],
      { onError: (e) => errors.push(e) },
    );
    expect(merged[0]?.type).toBe('gauge');
    expect(values(merged, 'm')).toEqual([[{}, 1]]);
    expect(errors[0]).toBeInstanceOf(AggregationError);
    expect(errors[0]?.message).toContain('"m" is a counter in worker 2 but a gauge');
  });

  it('keeps the earliest created and latest timestamp', () => {
    const merged = mergeFamilies([
      snap('1', {
        name: 'c',
        help: '',
        type: 'counter',
        points: [{ labels: {}, value: 1, created: 50, timestampMs: 1000 }],
      }),
      snap('2', {
        name: 'c',
        help: '',
        type: 'counter',
        points: [{ labels: {}, value: 1, created: 40, timestampMs: 2000 }],
      }),
    ]);
    expect(merged[0]?.points[0]).toMatchObject({ value: 2, created: 40, timestampMs: 2000 });
  });
});

describe('mergeFamilies: histograms, summaries, info and state sets', () => {
  async function collectFrom(build: (registry: Registry) => void): Promise<MetricFamily[]> {
    const registry = new Registry();
    build(registry);
    return registry.collect();
  }

  it('sums histograms bucket by bucket', async () => {
    const one = await collectFrom((registry) => {
      const h = new Histogram('h', 'H.', { registry, buckets: [1, 5] });
      h.observe(0.5);
      h.observe(3);
    });
    const two = await collectFrom((registry) => {
      const h = new Histogram('h', 'H.', { registry, buckets: [1, 5] });
      h.observe(10);
    });
    const [merged] = mergeFamilies([snap('1', ...one), snap('2', ...two)]);
    expect(merged?.type).toBe('histogram');
    const value = (
      merged!.points[0] as unknown as {
        value: { counts: ArrayLike<number>; count: number; sum: number };
      }
    ).value;
    expect(Array.from(value.counts)).toEqual([1, 1, 1]);
    expect(value.count).toBe(3);
    expect(value.sum).toBe(13.5);
  });

  it('skips and reports a worker whose histogram has other buckets', async () => {
    const one = await collectFrom((registry) =>
      new Histogram('h', 'H.', { registry, buckets: [1] }).observe(1),
    );
    const two = await collectFrom((registry) =>
      new Histogram('h', 'H.', { registry, buckets: [2] }).observe(1),
    );
    const errors: Error[] = [];
    const [merged] = mergeFamilies([snap('1', ...one), snap('2', ...two)], {
      onError: (e) => errors.push(e),
    });
    expect((merged!.points[0] as unknown as { value: { count: number } }).value.count).toBe(1);
    expect(errors[0]?.message).toContain(
      'histogram "h" in worker 2 has buckets [2] but others have [1]',
    );
  });

  it('merges native histograms into what one histogram observing everything holds', async () => {
    const observations = [0.001, 0.01, 0.3, 0.3, 1.7, 2, 40, -3, 0];
    const native = { schema: 2, zeroThreshold: 1e-9, maxBuckets: 0 };
    const split = await Promise.all(
      [observations.slice(0, 4), observations.slice(4)].map((part) =>
        collectFrom((registry) => {
          const h = new Histogram('n', 'N.', { registry, buckets: [], native });
          for (const v of part) h.observe(v);
        }),
      ),
    );
    const whole = await collectFrom((registry) => {
      const h = new Histogram('n', 'N.', { registry, buckets: [], native });
      for (const v of observations) h.observe(v);
    });
    const [merged] = mergeFamilies([snap('1', ...split[0]!), snap('2', ...split[1]!)]);
    const mergedValue = (
      merged!.points[0] as unknown as { value: { native: unknown; count: number } }
    ).value;
    const wholeValue = (
      whole[0]!.points[0] as unknown as { value: { native: unknown; count: number } }
    ).value;
    expect(mergedValue.count).toBe(observations.length);
    expect(mergedValue.native).toEqual(wholeValue.native);
  });

  it('meets native histograms of different schemas at the coarsest one', async () => {
    const observations = [0.02, 0.5, 0.9, 1.1, 3, 3.5, 7, 100];
    const fine = await collectFrom((registry) => {
      const h = new Histogram('n', 'N.', {
        registry,
        buckets: [],
        native: { schema: 4, maxBuckets: 0 },
      });
      for (const v of observations.slice(0, 5)) h.observe(v);
    });
    const coarse = await collectFrom((registry) => {
      const h = new Histogram('n', 'N.', {
        registry,
        buckets: [],
        native: { schema: 1, maxBuckets: 0 },
      });
      for (const v of observations.slice(5)) h.observe(v);
    });
    const whole = await collectFrom((registry) => {
      const h = new Histogram('n', 'N.', {
        registry,
        buckets: [],
        native: { schema: 1, maxBuckets: 0 },
      });
      for (const v of observations) h.observe(v);
    });
    const [merged] = mergeFamilies([snap('1', ...fine), snap('2', ...coarse)]);
    const native = (p: MetricFamily | undefined) =>
      (p!.points[0] as unknown as { value: { native: unknown } }).value.native;
    expect(native(merged)).toEqual(native(whole[0]));
  });

  it('sums summary count and sum and drops quantiles, unless the mode is first', async () => {
    const build = (values: number[]) =>
      collectFrom((registry) => {
        const s = new Summary('s', 'S.', { registry });
        for (const v of values) s.observe(v);
      });
    const one = await build([1, 2, 3]);
    const two = await build([10]);
    const [summed] = mergeFamilies([snap('1', ...one), snap('2', ...two)]);
    expect(summed?.points[0]).toMatchObject({ value: { count: 4, sum: 16, quantiles: [] } });
    const [first] = mergeFamilies([snap('1', ...one), snap('2', ...two)], {
      aggregation: { s: 'first' },
    });
    expect(
      (first!.points[0] as unknown as { value: { count: number; quantiles: unknown[] } }).value
        .count,
    ).toBe(3);
    expect(
      (first!.points[0] as unknown as { value: { quantiles: unknown[] } }).value.quantiles.length,
    ).toBe(3);
  });

  it('keeps one info series per label set and takes the max of state sets', async () => {
    const build = (state: 'up' | 'down') =>
      collectFrom((registry) => {
        new Info('build', 'Build.', { registry }).set({ version: '1.2.3' });
        new StateSet('health', 'Health.', { registry, states: ['up', 'down'] as const }).set(
          undefined,
          state,
        );
      });
    const merged = mergeFamilies([
      snap('1', ...(await build('up'))),
      snap('2', ...(await build('down'))),
    ]);
    const info = merged.find((f) => f.name === 'build');
    expect(info?.points).toHaveLength(1);
    const health = merged.find((f) => f.name === 'health');
    expect(health?.points.map((p) => (p as unknown as { value: number }).value)).toEqual([1, 1]);
  });
});

describe('snapshot codec', () => {
  it('round-trips NaN, ±Inf and typed arrays through JSON', async () => {
    const registry = new Registry();
    const g = new Gauge('special', 'S.', { registry, labelNames: ['v'] as const });
    g.set({ v: 'nan' }, Number.NaN);
    g.set({ v: 'inf' }, Number.POSITIVE_INFINITY);
    g.set({ v: 'ninf' }, Number.NEGATIVE_INFINITY);
    const h = new Histogram('h', 'H.', { registry, buckets: [1] });
    h.observe(Number.POSITIVE_INFINITY);
    new Counter('c_total', 'C.', { registry }).inc(2);
    const families = await registry.collect();
    const decoded = decodeSnapshot(encodeSnapshot(families), 'test');
    const special = decoded
      .find((f) => f.name === 'special')!
      .points.map((p) => (p as unknown as { value: number }).value);
    expect(special[0]).toBeNaN();
    expect(special.slice(1)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const hv = (
      decoded.find((f) => f.name === 'h')!.points[0] as unknown as {
        value: { counts: number[]; bounds: number[]; sum: number };
      }
    ).value;
    expect(hv.counts).toEqual([0, 1]);
    expect(hv.bounds).toEqual([1]);
    expect(hv.sum).toBe(Number.POSITIVE_INFINITY);
    expect(decoded.find((f) => f.name === 'c_total')!.points[0]).toMatchObject({ value: 2 });
  });

  it('rejects what is not a snapshot', () => {
    expect(() => decodeSnapshot('{', 'w1')).toThrow(AggregationError);
    expect(() => decodeSnapshot('{}', 'w1')).toThrow(/not an array/);
    expect(() => decodeSnapshot('[{"name":"x"}]', 'w1')).toThrow(/malformed family/);
  });
});
