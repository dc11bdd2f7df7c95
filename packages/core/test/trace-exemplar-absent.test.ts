import { afterEach, describe, expect, it } from 'vitest';
import { createHttpMetrics } from '../src/http/http-metrics';
import { traceExemplar } from '../src/metrics/trace-exemplar';
import type { CounterFamily } from '../src/model';
import { Registry } from '../src/registry';

const API_KEY = Symbol.for('opentelemetry.js.api.1');
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
const slot = globalThis as unknown as Record<symbol, unknown>;

afterEach(() => {
  delete slot[API_KEY];
});

/** Counts reads of the OpenTelemetry registration slot on globalThis. */
function countLookups(value: () => unknown): { readonly count: number } {
  const counter = { count: 0 };
  Object.defineProperty(globalThis, API_KEY, {
    configurable: true,
    get() {
      counter.count++;
      return value();
    },
  });
  return counter;
}

describe('without OpenTelemetry', () => {
  it('looks once, at the first request, and never again', () => {
    const lookups = countLookups(() => undefined);
    const http = createHttpMetrics({ registry: new Registry() });
    expect(lookups.count).toBe(0);
    for (let i = 0; i < 100; i++) http.start('GET', '/a', {}, {})!.end(200);
    expect(lookups.count).toBe(1);
    expect((http.requests!.collect() as CounterFamily).points[0]!.exemplar).toBeUndefined();
  });

  it('with exemplars: false, never looks', () => {
    const lookups = countLookups(() => undefined);
    const http = createHttpMetrics({ registry: new Registry(), exemplars: false });
    for (let i = 0; i < 10; i++) http.start('GET', '/a', {}, {})!.end(200);
    expect(lookups.count).toBe(0);
  });

  it('traceExemplar() is undefined', () => {
    expect(traceExemplar()).toBeUndefined();
  });
});

describe('a broken OpenTelemetry registration never throws into the app', () => {
  const span = (spanContext: () => unknown) => ({
    context: {
      active: () => ({
        getValue: (key: symbol) => (key === SPAN_KEY ? { spanContext } : undefined),
      }),
    },
  });
  const cases: [string, unknown][] = [
    ['a getter that throws', undefined],
    ['no context manager', {}],
    [
      'active() throws',
      {
        context: {
          active: () => {
            throw new Error('x');
          },
        },
      },
    ],
    ['active() gives nothing', { context: { active: () => undefined } }],
    [
      'spanContext() throws',
      span(() => {
        throw new Error('x');
      }),
    ],
    [
      'not sampled',
      span(() => ({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0 })),
    ],
    [
      'ids of the wrong length',
      span(() => ({ traceId: 'xyz', spanId: 'b'.repeat(16), traceFlags: 1 })),
    ],
    [
      'an overlong id',
      span(() => ({ traceId: 'a'.repeat(200), spanId: 'b'.repeat(16), traceFlags: 1 })),
    ],
    [
      'the invalid all-zero ids',
      span(() => ({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 })),
    ],
  ];
  it.each(cases)('%s', (name, registration) => {
    if (name === 'a getter that throws') {
      Object.defineProperty(globalThis, API_KEY, {
        configurable: true,
        get() {
          throw new Error('getter');
        },
      });
    } else {
      slot[API_KEY] = registration;
    }
    expect(traceExemplar()).toBeUndefined();
    const http = createHttpMetrics({ registry: new Registry() });
    expect(() => http.start('GET', '/a', {}, {})!.end(200)).not.toThrow();
    expect((http.requests!.collect() as CounterFamily).points[0]!.exemplar).toBeUndefined();
  });

  it('a well-formed sampled span is read without the API package', () => {
    slot[API_KEY] = span(() => ({
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: 1,
    }));
    expect(traceExemplar()).toEqual({ trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) });
  });
});
