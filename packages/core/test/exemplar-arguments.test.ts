import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ArgumentOrderError,
  Counter,
  Histogram,
  InvalidValueError,
  type Labels,
  PromkitError,
} from '../src/index';

const trace = { trace_id: 'abc' };

describe('exemplar methods take (labels?, value, exemplar)', () => {
  it('counter: labelled, unlabelled and bound forms record value and exemplar', () => {
    const c = new Counter('ex_args_total', 'E.', { registry: null, labelNames: ['m'] as const });
    c.incWithExemplar({ m: 'a' }, 2, trace);
    c.labels({ m: 'b' }).inc(3, trace);
    const byLabel = Object.fromEntries(c.collect().points.map((p) => [p.labels.m, p]));
    expect(byLabel.a).toMatchObject({ value: 2, exemplar: { labels: trace, value: 2 } });
    expect(byLabel.b).toMatchObject({ value: 3, exemplar: { labels: trace, value: 3 } });

    const any = new Counter('ex_args_any_total', 'E.', { registry: null });
    any.incWithExemplar(4, trace);
    any.incWithExemplar(undefined, 1, trace);
    expect(any.collect().points[0]).toMatchObject({ value: 5, exemplar: { value: 1 } });
  });

  it('refuses a NUL in an exemplar label value (and too long an exemplar), naming the label and showing the value, recording nothing', () => {
    const c = new Counter('ex_nul_total', 'E.', { registry: null, labelNames: ['m'] as const });
    const h = new Histogram('ex_nul_seconds', 'E.', { registry: null });
    c.incWithExemplar({ m: 'a' }, 1, trace);
    h.observeWithExemplar(0.5, trace);
    const bad = { trace_id: 'ab\u0000c' };
    for (const call of [
      () => c.incWithExemplar({ m: 'a' }, 2, bad),
      () => c.labels({ m: 'a' }).inc(2, bad),
      () => h.observeWithExemplar(0.7, bad),
    ]) {
      expect(call).toThrow(InvalidValueError);
      expect(call).toThrow(/exemplar label "trace_id" contains a NUL .*"ab\\u0000c"/);
    }
    expect(c.collect().points[0]).toMatchObject({ value: 1, exemplar: { labels: trace } });
    const histogram = h.collect().points[0]!.value;
    expect(histogram).toMatchObject({ count: 1, sum: 0.5 });
    // Bucket counts agree with the count: the refused observation left no bucket behind.
    expect(Array.from(histogram.counts).reduce((a, b) => a + b, 0)).toBe(1);
    // Too long an exemplar is refused the same way.
    const long = { trace_id: 'x'.repeat(200) };
    expect(() => h.observeWithExemplar(0.7, long)).toThrow(InvalidValueError);
    expect(() => c.incWithExemplar({ m: 'a' }, 2, long)).toThrow(InvalidValueError);
    expect(h.collect().points[0]!.value).toMatchObject({ count: 1 });
    expect(c.collect().points[0]).toMatchObject({ value: 1 });
  });

  it('histogram: labelled, unlabelled and bound forms record value and exemplar', () => {
    const h = new Histogram('ex_args_seconds', 'E.', {
      registry: null,
      buckets: [1, 2],
      labelNames: ['m'] as const,
    });
    h.observeWithExemplar({ m: 'a' }, 1.5, trace);
    h.labels({ m: 'b' }).observe(0.5, trace);
    const byLabel = Object.fromEntries(h.collect().points.map((p) => [p.labels.m, p.value]));
    expect(byLabel.a?.exemplars?.[1]).toMatchObject({ labels: trace, value: 1.5 });
    expect(byLabel.b?.exemplars?.[0]).toMatchObject({ labels: trace, value: 0.5 });

    const none = new Histogram('ex_args_none_seconds', 'E.', {
      registry: null,
      buckets: [1, 2],
      labelNames: [],
    });
    none.observeWithExemplar(3, trace);
    expect(none.collect().points[0]?.value.exemplars?.[2]).toMatchObject({ value: 3 });
  });

  it('the former counter order (exemplar before value) throws ArgumentOrderError with the fix', () => {
    const c = new Counter('ex_order_total', 'E.', { registry: null, labelNames: ['m'] as const });
    const swapped = () => (c.incWithExemplar as (...args: unknown[]) => void)({ m: 'a' }, trace, 2);
    expect(swapped).toThrow(ArgumentOrderError);
    expect(swapped).toThrow(
      'Metric "ex_order_total": incWithExemplar(labels, value, exemplar) takes the value before the exemplar, got value {"trace_id":"abc"} and exemplar 2; swap them',
    );
    const defaulted = () => (c.incWithExemplar as (...args: unknown[]) => void)({ m: 'a' }, trace);
    expect(defaulted).toThrow(/got value \{"trace_id":"abc"\} and exemplar undefined; swap them/);
    expect(c.get({ m: 'a' })).toBeUndefined();
  });

  it('a swapped histogram call throws ArgumentOrderError; a non-number value InvalidValueError', () => {
    const h = new Histogram('ex_order_seconds', 'E.', { registry: null, buckets: [1] });
    const call = h.observeWithExemplar as (...args: unknown[]) => void;
    let error: unknown;
    try {
      call.call(h, undefined, trace, 0.5);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ArgumentOrderError);
    expect(error).toBeInstanceOf(PromkitError);
    expect((error as ArgumentOrderError).code).toBe('PROMKIT_ERR_ARGUMENT_ORDER');
    expect((error as Error).message).toMatch(/observeWithExemplar\(labels, 1, \{ trace_id \}\)/);
    expect(() => call.call(h, undefined, '0.5', trace)).toThrow(InvalidValueError);
    expect(() => call.call(h, undefined, '0.5', trace)).toThrow(/got value "0.5" and exemplar/);
    expect(h.get()).toBeUndefined();
  });

  it('an undefined exemplar records the value alone; the former order with one throws', () => {
    const c = new Counter('ex_none_total', 'E.', { registry: null });
    c.incWithExemplar(undefined, 2, undefined);
    c.incWithExemplar(3, undefined);
    expect(c.collect().points[0]).toMatchObject({ value: 5 });
    expect(c.collect().points[0]?.exemplar).toBeUndefined();
    const former = () =>
      (c.incWithExemplar as (...args: unknown[]) => void)(undefined, undefined, 2);
    expect(former).toThrow(ArgumentOrderError);
    expect(former).toThrow(/got value undefined and exemplar 2; swap them/);
    const h = new Histogram('ex_none_seconds', 'E.', { registry: null, buckets: [1] });
    h.observeWithExemplar(undefined, 0.5, undefined);
    expect(h.get()).toMatchObject({ count: 1, sum: 0.5 });
    expect(h.collect().points[0]?.value.exemplars).toBeUndefined();
  });

  it('types: every form is (labels?, value, exemplar)', () => {
    const typed = new Counter('ex_types_total', 'T.', {
      registry: null,
      labelNames: ['m'] as const,
    });
    expectTypeOf(typed.incWithExemplar).parameters.toEqualTypeOf<
      [labels: { readonly m: string | number }, value: number, exemplar: Labels | undefined]
    >();
    // @ts-expect-error exemplar before value
    expect(() => typed.incWithExemplar({ m: 'a' }, trace, 1)).toThrow(ArgumentOrderError);
    const none = new Histogram('ex_types_seconds', 'T.', { registry: null, labelNames: [] });
    expectTypeOf(none.observeWithExemplar).parameters.toEqualTypeOf<
      [value: number, exemplar: Labels | undefined]
    >();
    expectTypeOf(typed.labels({ m: 'a' }).inc).parameters.toEqualTypeOf<
      [value?: number, exemplar?: Labels]
    >();
  });
});
