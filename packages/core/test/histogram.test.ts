import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_BUCKETS,
  exponentialBuckets,
  Histogram,
  InvalidValueError,
  LabelSetError,
  linearBuckets,
  ReservedLabelError,
} from '../src/index';

describe('Histogram', () => {
  it('uses aioprometheus default buckets and cumulative readings', () => {
    const h = new Histogram('lat_seconds', 'L.', { registry: null });
    expect(h.buckets).toEqual(DEFAULT_BUCKETS);
    for (const v of [0.001, 0.005, 0.3, 3, 30]) h.observe(v);
    const r = h.get()!;
    expect(r.count).toBe(5);
    expect(r.sum).toBeCloseTo(33.306);
    const le = Object.fromEntries(r.buckets.map((b) => [b.le, b.count]));
    expect(le['0.005']).toBe(2); // le is inclusive
    expect(le['0.25']).toBe(2);
    expect(le['0.5']).toBe(3);
    expect(le['5']).toBe(4);
    expect(le['10']).toBe(4);
    expect(le.Infinity).toBe(5);
  });

  it('observes through its compiled lookup as through the general path: key order, numbers, wrong sets, overflow', () => {
    const h = new Histogram('job_seconds', 'J.', {
      registry: null,
      labelNames: ['queue', 'shard'] as const,
      buckets: [1],
      maxSeries: 2,
    });
    h.observe({ queue: 'a', shard: '1' }, 0.5);
    h.observe({ shard: '1', queue: 'a' }, 2);
    h.observe({ queue: 'a', shard: 1 } as never, 0.5);
    expect(h.getAll().map((p) => [p.labels, p.value.count])).toEqual([
      [{ queue: 'a', shard: '1' }, 3],
    ]);
    expect(() => h.observe({ queue: 'a' } as never, 1)).toThrow(LabelSetError);
    expect(() => h.observe({ queue: 'a', shard: '1', x: '2' } as never, 1)).toThrow(LabelSetError);
    expect(() => h.observe({ queue: 'new', shard: '1', x: '2' } as never, 1)).toThrow(
      LabelSetError,
    );
    h.observe({ queue: 'b', shard: '1' }, 1);
    // At maxSeries: a new label set folds into the overflow series, the others stay exact.
    h.observe({ queue: 'c', shard: '1' }, 1);
    h.observe({ shard: '1', queue: 'd' }, 1);
    h.observe({ queue: 'b', shard: '1' }, 1);
    expect(h.getAll().map((p) => [p.labels.queue, p.value.count])).toEqual([
      ['a', 3],
      ['b', 2],
      ['__overflow__', 2],
    ]);
  });

  it('finds the right bucket with linear scan and binary search alike', () => {
    const few = linearBuckets(1, 1, 10);
    const many = linearBuckets(1, 1, 100);
    const a = new Histogram('few', 'F.', { registry: null, buckets: few });
    const b = new Histogram('many', 'M.', { registry: null, buckets: many });
    const values = [
      0,
      1,
      1.5,
      2,
      9.999,
      10,
      10.5,
      50,
      100,
      101,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ];
    for (const v of values) {
      a.observe(v);
      b.observe(v);
    }
    for (const bound of few) {
      const expected = values.filter((v) => v <= bound).length;
      expect(a.get()!.buckets.find((x) => x.le === bound)!.count).toBe(expected);
      expect(b.get()!.buckets.find((x) => x.le === bound)!.count).toBe(expected);
    }
    expect(b.get()!.buckets.find((x) => x.le === 100)!.count).toBe(
      values.filter((v) => v <= 100).length,
    );
    expect(b.get()!.buckets.at(-1)!.count).toBe(values.length);
  });

  it('exposes non-cumulative counts in the snapshot; the +Inf slot is last', () => {
    const h = new Histogram('snap', 'S.', { registry: null, buckets: [1, 2] });
    h.observe(0.5);
    h.observe(1.5);
    h.observe(9);
    const [point] = h.collect().points;
    expect(Array.from(point!.value.counts)).toEqual([1, 1, 1]);
    expect(Array.from(point!.value.bounds)).toEqual([1, 2]);
    h.observe(0.1);
    expect(Array.from(point!.value.counts)).toEqual([1, 1, 1]); // a copy, not live storage
  });

  it('validates buckets', () => {
    expect(() => new Histogram('h1', 'x', { registry: null, buckets: [] })).toThrow(ConfigError);
    expect(() => new Histogram('h2', 'x', { registry: null, buckets: [1, 1] })).toThrow(
      /strictly increasing, got 1 then 1/,
    );
    expect(() => new Histogram('h3', 'x', { registry: null, buckets: [2, 1] })).toThrow(
      ConfigError,
    );
    expect(() => new Histogram('h4', 'x', { registry: null, buckets: [1, Number.NaN] })).toThrow(
      /bucket 1 is NaN/,
    );
    expect(
      new Histogram('h5', 'x', { registry: null, buckets: [1, Number.POSITIVE_INFINITY] }).buckets,
    ).toEqual([1]);
    expect(() => new Histogram('h6', 'x', { registry: null, labelNames: ['le'] })).toThrow(
      ReservedLabelError,
    );
    expect(() => linearBuckets(0, 0, 3)).toThrow(ConfigError);
    expect(() => exponentialBuckets(1, 1, 3)).toThrow(ConfigError);
    expect(() => exponentialBuckets(0, 2, 3)).toThrow(ConfigError);
    expect(linearBuckets(0.5, 0.5, 3)).toEqual([0.5, 1, 1.5]);
    expect(exponentialBuckets(1, 10, 3)).toEqual([1, 10, 100]);
  });

  it('rejects NaN and non-numbers without changing the series', () => {
    const h = new Histogram('bad', 'B.', { registry: null, buckets: [1] });
    h.observe(0.5);
    expect(() => h.observe(Number.NaN)).toThrow(InvalidValueError);
    expect(() => h.labels().observe('1' as unknown as number)).toThrow(/Histogram "bad"/);
    expect(h.get()).toMatchObject({ count: 1, sum: 0.5 });
  });

  it('startTimer observes elapsed seconds with labels merged at the end', async () => {
    const h = new Histogram('req_seconds', 'R.', {
      registry: null,
      labelNames: ['route', 'code'] as const,
    });
    const end = h.startTimer({ route: '/' });
    await new Promise((r) => setTimeout(r, 15));
    const took = end({ code: '200' });
    expect(took).toBeGreaterThan(0.01);
    expect(h.get({ route: '/', code: '200' })).toMatchObject({ count: 1, sum: took });
  });

  it('startTimer types require at the end the labels the start left out', () => {
    const h = new Histogram('typed_seconds', 'T.', {
      registry: null,
      labelNames: ['route', 'code'] as const,
    });
    type Full = { readonly route: string | number; readonly code: string | number };
    expectTypeOf(h.startTimer({ route: '/', code: 200 })).toEqualTypeOf<
      (endLabels?: Partial<Full>) => number
    >();
    expectTypeOf(h.startTimer({ route: '/' })).parameters.toEqualTypeOf<
      [endLabels: { readonly code: string | number } & Partial<Full>]
    >();
    expectTypeOf(h.startTimer()).parameters.toEqualTypeOf<[endLabels: Full & Partial<Full>]>();

    h.startTimer()({ route: '/', code: 200 });
    h.startTimer({ route: '/' })({ code: 200 });
    h.startTimer({ route: '/', code: 200 })();
    // @ts-expect-error end() needs the labels no one gave: this is a LabelSetError at run time
    expect(() => h.startTimer({ route: '/' })()).toThrow(LabelSetError);
    // @ts-expect-error end() of a timer started without labels needs all of them
    expect(() => h.startTimer()()).toThrow(LabelSetError);
    // @ts-expect-error end() still lacks "route"
    expect(() => h.startTimer()({ code: 200 })).toThrow(LabelSetError);
    // @ts-expect-error a label that was not declared
    expect(() => h.startTimer({ route: '/', method: 'GET' })).not.toThrow();

    const none = new Histogram('untyped_seconds', 'U.', { registry: null, labelNames: [] });
    none.startTimer()();
    const free = new Histogram('free_seconds', 'F.', { registry: null });
    free.startTimer()();
    free.startTimer({ anything: 'goes' })({ more: 'too' });
  });

  it('keeps exemplars per bucket', () => {
    const h = new Histogram('ex_seconds', 'E.', { registry: null, buckets: [1, 2] });
    h.observeWithExemplar(undefined, 1.5, { trace_id: 't1' });
    const [point] = h.collect().points;
    expect(point!.value.exemplars?.[1]).toMatchObject({ labels: { trace_id: 't1' }, value: 1.5 });
    expect(point!.value.exemplars?.[0]).toBeUndefined();
  });

  it('native-only histograms expose count and sum plus native buckets', () => {
    const h = new Histogram('native_seconds', 'N.', { registry: null, native: { schema: 3 } });
    expect(h.buckets).toEqual([]);
    for (const v of [0.1, 0.2, 1, 4]) h.observe(v);
    const [point] = h.collect().points;
    expect(point!.value.count).toBe(4);
    expect(point!.value.counts).toHaveLength(0);
    expect(point!.value.native?.schema).toBe(3);
    const deltas = point!.value.native!.positiveDeltas;
    let running = 0;
    let total = 0;
    for (const d of deltas) {
      running += d;
      total += running;
    }
    expect(total).toBe(4);
    expect(h.get()!.buckets).toEqual([{ le: Number.POSITIVE_INFINITY, count: 4 }]);
  });

  it('a refused value makes no series', () => {
    const h = new Histogram('nan_seconds', 'N.', {
      registry: null,
      buckets: [1],
      labelNames: ['k'] as const,
    });
    expect(() => h.observe({ k: 'a' }, Number.NaN)).toThrow(/Histogram "nan_seconds".*NaN/);
    expect(() => h.observeWithExemplar({ k: 'a' }, Number.NaN, { t: '1' })).toThrow(
      InvalidValueError,
    );
    expect(h.seriesCount).toBe(0);
  });

  it('series share columns: each its own row, zeroed when a removed index is reused', () => {
    const h = new Histogram('rows_seconds', 'R.', {
      registry: null,
      buckets: [1, 2],
      labelNames: ['k'] as const,
    });
    // Enough series to grow the columns several times; each with its own numbers.
    for (let i = 0; i < 300; i++) {
      for (let j = 0; j <= i % 3; j++) h.observe({ k: `s${i}` }, j);
    }
    for (let i = 0; i < 300; i++) {
      const n = (i % 3) + 1;
      expect(h.get({ k: `s${i}` })).toEqual({
        count: n,
        sum: (n * (n - 1)) / 2,
        buckets: [
          { le: 1, count: Math.min(n, 2) },
          { le: 2, count: n },
          { le: Number.POSITIVE_INFINITY, count: n },
        ],
      });
    }
    h.observeWithExemplar({ k: 's7' }, 1.5, { trace_id: 'old' });
    const bound = h.labels({ k: 's7' });
    expect(bound.count).toBe(3);
    expect(bound.sum).toBe(2.5);
    expect(h.remove({ k: 's7' })).toBe(true);
    // A removed series' child records nothing and reads 0.
    bound.observe(0.5);
    expect(bound.count).toBe(0);
    expect(bound.sum).toBe(0);
    // The next series takes the freed index: it starts from zero, without the exemplar.
    h.observe({ k: 'new' }, 5);
    const fresh = h.collect().points.find((p) => p.labels.k === 'new')!;
    expect(Array.from(fresh.value.counts)).toEqual([0, 0, 1]);
    expect(fresh.value).toMatchObject({ count: 1, sum: 5 });
    expect(fresh.value.exemplars).toBeUndefined();
    expect(h.get({ k: 's8' })).toMatchObject({ count: 3, sum: 3 });
  });

  it('bound children, labelled calls and timers record into the same row', () => {
    const h = new Histogram('same_seconds', 'S.', {
      registry: null,
      buckets: [1],
      labelNames: ['k'] as const,
    });
    const child = h.labels({ k: 'a' });
    child.observe(0.5);
    h.observe({ k: 'a' }, 2);
    child.observe(3, { trace_id: 't' });
    h.startTimer({ k: 'a' })();
    expect(child.count).toBe(4);
    expect(child.sum).toBeGreaterThanOrEqual(5.5);
    expect(h.get({ k: 'a' })!.buckets[0]!.count).toBe(2);
    expect(h.collect().points[0]!.value.exemplars?.[1]).toMatchObject({ value: 3 });
  });

  it('native buckets per series: a removed series takes its own along', () => {
    const h = new Histogram('natives_seconds', 'N.', {
      registry: null,
      native: true,
      labelNames: ['k'] as const,
    });
    h.observe({ k: 'a' }, 1);
    h.observe({ k: 'b' }, 4);
    h.observe({ k: 'b' }, 4);
    h.remove({ k: 'a' });
    h.observe({ k: 'c' }, 8);
    const natives = Object.fromEntries(
      h.collect().points.map((p) => [p.labels.k, p.value.native!.positiveDeltas]),
    );
    expect(natives).toEqual({ b: [2], c: [1] });
  });

  it('classic and native buckets together', () => {
    const h = new Histogram('both_seconds', 'B.', { registry: null, buckets: [1], native: true });
    h.observe(0.5);
    h.observe(3);
    const [point] = h.collect().points;
    expect(Array.from(point!.value.counts)).toEqual([1, 1]);
    expect(point!.value.native).toBeDefined();
  });
});
