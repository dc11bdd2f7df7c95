import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ConfigError,
  Counter,
  DuplicateMetricError,
  InvalidNameError,
  InvalidValueError,
  LabelSetError,
  PromkitError,
  Registry,
  ReservedLabelError,
} from '../src/index';

describe('Counter', () => {
  it('counts per label set, with labels first like aioprometheus', () => {
    const c = new Counter('jobs_total', 'Jobs.', {
      registry: null,
      labelNames: ['queue', 'kind'] as const,
    });
    c.inc({ queue: 'mail', kind: 'a' });
    c.inc({ queue: 'mail', kind: 'a' }, 4);
    c.add({ queue: 'sms', kind: 'a' }, 2.5);
    expect(c.get({ queue: 'mail', kind: 'a' })).toBe(5);
    expect(c.get({ queue: 'sms', kind: 'a' })).toBe(2.5);
    expect(c.get({ queue: 'none', kind: 'a' })).toBeUndefined();
  });

  it('treats label sets independently of key order when labels are not declared', () => {
    const c = new Counter('any_total', 'Any labels.', { registry: null });
    c.inc({ a: '1', b: '2' });
    c.inc({ b: '2', a: '1' });
    expect(c.getAll()).toEqual([{ labels: { a: '1', b: '2' }, value: 2 }]);
  });

  it('accepts a bare number when no labels are declared', () => {
    const c = new Counter('plain_total', 'Plain.', { registry: null });
    c.inc();
    c.inc(2);
    expect(c.get()).toBe(3);
  });

  it('exposes a zero series at once for labelNames: []', () => {
    const c = new Counter('eager_total', 'Eager.', { registry: null, labelNames: [] as const });
    expect(c.collect().points).toHaveLength(1);
    expect(c.get()).toBe(0);
    const lazy = new Counter('lazy_total', 'Lazy.', { registry: null });
    expect(lazy.collect().points).toHaveLength(0);
  });

  it('merges const labels into every series, first', () => {
    const c = new Counter('c_total', 'C.', {
      registry: null,
      labelNames: ['x'] as const,
      constLabels: { app: 'shop' },
    });
    c.inc({ x: 'y' });
    const [point] = c.collect().points;
    expect(point?.labels).toEqual({ app: 'shop', x: 'y' });
    expect(Object.keys(point!.labels)).toEqual(['app', 'x']);
    expect(point?.labelText).toBe('app="shop",x="y"');
  });

  it('bound children skip lookups and share the series', () => {
    const c = new Counter('bound_total', 'B.', { registry: null, labelNames: ['a'] as const });
    const child = c.labels({ a: 'x' });
    child.inc();
    child.inc(2);
    c.inc({ a: 'x' });
    expect(c.get({ a: 'x' })).toBe(4);
    expect(c.labels({ a: 'x' })).toBe(child);
  });

  it('stringifies number label values', () => {
    const c = new Counter('num_total', 'N.', { registry: null, labelNames: ['code'] as const });
    c.inc({ code: 200 });
    c.inc({ code: '200' });
    expect(c.getAll()).toEqual([{ labels: { code: '200' }, value: 2 }]);
  });

  it('copies label values: mutating the caller object later changes nothing', () => {
    const c = new Counter('copy_total', 'C.', { registry: null });
    const labels = { a: 'x' };
    c.inc(labels);
    labels.a = 'changed';
    expect(c.getAll()[0]?.labels).toEqual({ a: 'x' });
  });

  it('never merges label sets whose joined values collide', () => {
    const c = new Counter('collide_total', 'C.', {
      registry: null,
      labelNames: ['a', 'b'] as const,
    });
    // Both would be "x\u0001\u0001" if values were joined without escaping.
    c.inc({ a: 'x\u0001', b: '' });
    c.inc({ a: 'x', b: '\u0001' });
    c.inc({ a: 'x|', b: '' });
    c.inc({ a: 'x', b: '|' });
    expect(c.getAll()).toHaveLength(4);
    const undeclared = new Counter('collide2_total', 'C.', { registry: null });
    undeclared.inc({ a: 'x\u0001b=y' });
    undeclared.inc({ a: 'x', b: 'y' });
    undeclared.inc({ a: 'x=b' });
    expect(undeclared.getAll()).toHaveLength(3);
  });

  it('rejects bad increments without touching the value', () => {
    const c = new Counter('bad_total', 'B.', { registry: null });
    c.inc(1);
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
      expect(() => c.inc(undefined, bad)).toThrow(InvalidValueError);
      expect(() => c.labels().inc(bad)).toThrow(InvalidValueError);
    }
    expect(() => c.inc('1' as unknown as number)).toThrow(
      /inc\(\) got string "1" as its first argument, where a labels object or a number goes/,
    );
    expect(c.get()).toBe(1);
    expect(() => c.inc(-1)).toThrow(/Counter "bad_total".*-1/);
  });

  it('rejects missing, extra and non-string labels naming the metric', () => {
    const c = new Counter('strict_total', 'S.', {
      registry: null,
      labelNames: ['a', 'b'] as const,
    });
    const loose = c as unknown as { inc(l?: unknown, v?: number): void };
    expect(() => loose.inc({ a: '1' })).toThrow(LabelSetError);
    expect(() => loose.inc({ a: '1', b: '2', c: '3' })).toThrow(/strict_total.*unexpected \["c"\]/);
    expect(() => loose.inc({ a: '1', c: '3' })).toThrow(/missing \["b"\].*unexpected \["c"\]/);
    expect(() => loose.inc()).toThrow(/needs labels/);
    expect(() => loose.inc({ a: '1', b: null })).toThrow(LabelSetError);
    expect(() => loose.inc({ a: '1', b: {} })).toThrow(/label "b" must be a string or number/);
    expect(c.getAll()).toEqual([]);
  });

  it('validates names, reserved labels and duplicates', () => {
    const registry = new Registry();
    expect(() => new Counter('1bad', 'x', { registry })).toThrow(InvalidNameError);
    expect(() => new Counter('ok', 'x', { registry, labelNames: ['__x'] })).toThrow(
      ReservedLabelError,
    );
    expect(() => new Counter('ok', 'x', { registry, labelNames: ['a-b'] })).toThrow(
      /Invalid label name "a-b" on metric "ok"/,
    );
    expect(() => new Counter('ok', 'x', { registry, labelNames: ['a', 'a'] })).toThrow(ConfigError);
    expect(
      () => new Counter('ok', 'x', { registry, labelNames: ['a'], constLabels: { a: 'x' } }),
    ).toThrow(ConfigError);
    const undeclared = new Counter('free_total', 'x', { registry: null });
    expect(() => undeclared.inc({ __name__: 'x' })).toThrow(ReservedLabelError);
    expect(() => undeclared.inc({ 'bad label': 'x' })).toThrow(InvalidNameError);
    expect(undeclared.getAll()).toEqual([]);
    new Counter('dup_total', 'x', { registry });
    const error = (() => {
      try {
        new Counter('dup_total', 'x', { registry });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DuplicateMetricError);
    expect(error).toBeInstanceOf(PromkitError);
    expect((error as DuplicateMetricError).code).toBe('PROMKIT_ERR_DUPLICATE_METRIC');
    expect(error).not.toBeInstanceOf(InvalidNameError);
  });

  it('recognises errors from another copy of the package by brand', () => {
    const foreign = Object.assign(new Error('x'), { code: 'PROMKIT_ERR_DUPLICATE_METRIC' });
    Object.defineProperty(foreign, Symbol.for('promkit.error'), { value: true });
    expect(foreign).toBeInstanceOf(DuplicateMetricError);
    expect(foreign).toBeInstanceOf(PromkitError);
    expect(new Error('plain')).not.toBeInstanceOf(PromkitError);
  });

  it('records exemplars and created timestamps', () => {
    const c = new Counter('ex_total', 'E.', { registry: null });
    const before = Date.now() / 1000;
    c.incWithExemplar(undefined, 2, { trace_id: 'abc' });
    const [point] = c.collect().points;
    expect(point?.value).toBe(2);
    expect(point?.exemplar).toMatchObject({ labels: { trace_id: 'abc' }, value: 2 });
    expect(point?.created).toBeGreaterThanOrEqual(before - 1);
    expect(() => c.incWithExemplar(1, { trace_id: 'x'.repeat(130) })).toThrow(/128/);
  });

  it('the unlabelled series starts again after remove() and reset()', () => {
    const c = new Counter('unlabelled_total', 'U.', { registry: null });
    c.inc(3);
    expect(c.remove()).toBe(true);
    c.inc();
    expect(c.get()).toBe(1);
    c.reset();
    c.inc(2);
    expect(c.getAll()).toEqual([{ labels: {}, value: 2 }]);
  });

  it('remove and reset drop series', () => {
    const c = new Counter('rm_total', 'R.', { registry: null, labelNames: ['a'] as const });
    c.inc({ a: '1' });
    c.inc({ a: '2' });
    expect(c.remove({ a: '1' })).toBe(true);
    expect(c.remove({ a: '1' })).toBe(false);
    expect(c.getAll()).toEqual([{ labels: { a: '2' }, value: 1 }]);
    c.reset();
    expect(c.getAll()).toEqual([]);
  });

  it('folds series beyond maxSeries into one overflow series and counts them', async () => {
    const registry = new Registry();
    const c = new Counter('capped_total', 'C.', {
      registry,
      labelNames: ['user'] as const,
      maxSeries: 3,
    });
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (msg: string) => warnings.push(msg);
    try {
      for (let i = 0; i < 10; i++) c.inc({ user: `u${i}` });
      c.inc({ user: 'u0' });
    } finally {
      console.warn = warn;
    }
    expect(c.seriesCount).toBe(4);
    expect(c.get({ user: 'u0' })).toBe(2);
    expect(c.getAll().at(-1)).toEqual({ labels: { user: '__overflow__' }, value: 7 });
    expect(c.overflowCount).toBe(7);
    expect(warnings).toHaveLength(1);
    const families = await registry.collect();
    const overflow = families.find((f) => f.name === 'promkit_series_overflow_total');
    expect(overflow?.points).toEqual([
      expect.objectContaining({ labels: { metric: 'capped_total' }, value: 7 }),
    ]);
  });

  it('types labels from labelNames', () => {
    const c = new Counter('typed_total', 'T.', {
      registry: null,
      labelNames: ['method', 'route'] as const,
    });
    expectTypeOf(c.inc).parameters.toEqualTypeOf<
      [
        labels: { readonly method: string | number; readonly route: string | number },
        value?: number,
      ]
    >();
    // @ts-expect-error missing label
    expect(() => c.inc({ method: 'GET' })).toThrow(LabelSetError);
    // @ts-expect-error extra label
    expect(() => c.inc({ method: 'GET', route: '/', extra: 'x' })).toThrow(LabelSetError);
    // @ts-expect-error labels are required
    expect(() => c.inc()).toThrow(LabelSetError);
    const none = new Counter('none_total', 'N.', { registry: null, labelNames: [] as const });
    expectTypeOf(none.inc).parameters.toEqualTypeOf<[value?: number]>();
    const free = new Counter('free2_total', 'F.', { registry: null });
    free.inc({ anything: 'goes' }, 2);
    free.inc(3);
  });
});

describe('bound children and removed series', () => {
  it('a child of a removed series stops recording; its index reused by another series stays intact', () => {
    const c = new Counter('reuse_total', 'h', { labelNames: ['a'] as const, registry: null });
    const x = c.labels({ a: 'x' });
    x.inc(2);
    expect(c.remove({ a: 'x' })).toBe(true);
    // `y` takes the index `x` had: writes through the stale child must not reach it.
    const y = c.labels({ a: 'y' });
    x.inc(100);
    y.inc(1);
    expect(c.get({ a: 'y' })).toBe(1);
    expect(x.value).toBe(0);
    expect(c.get({ a: 'x' })).toBeUndefined();
    // A new child for the label set records again, from 0.
    c.labels({ a: 'x' }).inc(3);
    expect(c.get({ a: 'x' })).toBe(3);
    expect(c.getAll()).toEqual([
      { labels: { a: 'y' }, value: 1 },
      { labels: { a: 'x' }, value: 3 },
    ]);
  });

  it('reset() detaches every child and the values start again', () => {
    const c = new Counter('reset_children_total', 'h', {
      labelNames: ['a'] as const,
      registry: null,
    });
    const x = c.labels({ a: 'x' });
    x.inc(5);
    c.reset();
    x.inc(1);
    expect(c.get({ a: 'x' })).toBeUndefined();
    expect(c.labels({ a: 'x' })).not.toBe(x);
    c.inc({ a: 'x' });
    expect(c.get({ a: 'x' })).toBe(1);
  });

  it('keeps every value exact through growth, churn and index reuse (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('inc', 'remove'), fc.integer({ min: 0, max: 40 })), {
          maxLength: 600,
        }),
        (ops) => {
          const c = new Counter('churn_total', 'h', { labelNames: ['k'] as const, registry: null });
          const model = new Map<string, number>();
          for (const [op, k] of ops) {
            const key = `key-with-a-long-value-${k}`;
            if (op === 'inc') {
              c.inc({ k: key }, k + 1);
              model.set(key, (model.get(key) ?? 0) + k + 1);
            } else {
              expect(c.remove({ k: key })).toBe(model.delete(key));
            }
          }
          const seen = new Map(c.getAll().map((s) => [s.labels.k, s.value]));
          expect(seen).toEqual(model);
          expect(c.seriesCount).toBe(model.size);
        },
      ),
      { numRuns: 100 },
    );
  });
});
