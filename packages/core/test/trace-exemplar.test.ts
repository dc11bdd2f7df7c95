import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpMetrics } from '../src/http/http-metrics';
import { Counter } from '../src/metrics/counter';
import { Histogram } from '../src/metrics/histogram';
import { traceExemplar } from '../src/metrics/trace-exemplar';
import type { CounterFamily, Exemplar, HistogramFamily, Labels } from '../src/model';
import { Registry } from '../src/registry';

// A real OpenTelemetry SDK: the global context manager and tracer provider, as an app's
// tracing setup registers them. Vitest runs each file in its own worker, so nothing leaks.
const contextManager = new AsyncLocalStorageContextManager().enable();
const tracerFor = (sampler: Sampler) =>
  new BasicTracerProvider({ sampler }).getTracer('promkit-test');
let sampled: ReturnType<typeof tracerFor>;
let unsampled: ReturnType<typeof tracerFor>;

beforeAll(() => {
  context.setGlobalContextManager(contextManager);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ sampler: new AlwaysOnSampler() }));
  sampled = tracerFor(new AlwaysOnSampler());
  unsampled = tracerFor(new AlwaysOffSampler());
});

afterAll(() => {
  context.disable();
  trace.disable();
});

function inSpan<T>(tracer: typeof sampled, fn: (ids: Labels) => T): T {
  return tracer.startActiveSpan('work', (span) => {
    try {
      const { traceId, spanId } = span.spanContext();
      return fn({ trace_id: traceId, span_id: spanId });
    } finally {
      span.end();
    }
  });
}

function requestExemplar(http: {
  readonly requests: Counter<string> | undefined;
}): Exemplar | undefined {
  const family = http.requests!.collect() as CounterFamily;
  return family.points[0]?.exemplar;
}

function bucketExemplars(http: { readonly duration: Histogram<string> | undefined }): Exemplar[] {
  const family = http.duration!.collect() as HistogramFamily;
  return (family.points[0]?.value.exemplars ?? []).filter((e) => e !== undefined);
}

describe('traceExemplar', () => {
  it('gives the active sampled span as trace_id and span_id', () => {
    inSpan(sampled, (ids) => {
      expect(traceExemplar()).toEqual(ids);
      expect(ids.trace_id).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  it('gives undefined outside a span and for a span that is not sampled', () => {
    expect(traceExemplar()).toBeUndefined();
    inSpan(unsampled, () => expect(traceExemplar()).toBeUndefined());
  });

  it('follows the active span into awaited code', async () => {
    await sampled.startActiveSpan('outer', async (span) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(traceExemplar()?.span_id).toBe(span.spanContext().spanId);
      span.end();
    });
  });

  it('works with incWithExemplar and observeWithExemplar, recording nothing extra for undefined', () => {
    const registry = new Registry();
    const jobs = new Counter('jobs_total', 'Jobs.', { registry });
    const latency = new Histogram('job_seconds', 'Latency.', { registry, buckets: [1] });
    const ids = inSpan(sampled, (ids) => {
      jobs.incWithExemplar(undefined, 1, traceExemplar());
      latency.observeWithExemplar(undefined, 0.5, traceExemplar());
      return ids;
    });
    jobs.incWithExemplar(undefined, 1, traceExemplar());
    latency.observeWithExemplar(undefined, 2, traceExemplar());
    const counter = jobs.collect() as CounterFamily;
    expect(counter.points[0]!.value).toBe(2);
    expect(counter.points[0]!.exemplar?.labels).toEqual(ids);
    const histogram = latency.collect() as HistogramFamily;
    expect(histogram.points[0]!.value.exemplars?.[0]?.labels).toEqual(ids);
    expect(histogram.points[0]!.value.exemplars?.[1]).toBeUndefined();
  });
});

describe('HTTP instrumentation exemplars', () => {
  it('captures the span at request start and records it when the response ends outside it', () => {
    const http = createHttpMetrics({ registry: new Registry(), buckets: [10] });
    const { t, ids } = inSpan(sampled, (ids) => ({ t: http.start('GET', '/a', {}, {})!, ids }));
    expect(traceExemplar()).toBeUndefined();
    t.matched('/a');
    t.end(200);
    expect(requestExemplar(http)?.labels).toEqual(ids);
    expect(requestExemplar(http)?.value).toBe(1);
    expect(bucketExemplars(http).map((e) => e.labels)).toEqual([ids]);
  });

  it('records no exemplar for requests outside a span or in an unsampled one', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    http.start('GET', '/a', {}, {})!.end(200);
    inSpan(unsampled, () => http.start('GET', '/a', {}, {})!).end(200);
    expect(requestExemplar(http)).toBeUndefined();
    expect(bucketExemplars(http)).toEqual([]);
  });

  it('exemplars: false turns trace and hook exemplars off', () => {
    const http = createHttpMetrics({
      registry: new Registry(),
      exemplars: false,
      exemplar: () => ({ user: 'u1' }),
    });
    inSpan(sampled, () => http.start('GET', '/a', {}, {})!).end(200);
    expect(requestExemplar(http)).toBeUndefined();
  });

  it('adds the hook’s labels after the trace labels, with the request and response', () => {
    const seen: unknown[] = [];
    const http = createHttpMetrics<{ user: string }, { code: number }>({
      registry: new Registry(),
      exemplar: (req, res) => {
        seen.push(req, res);
        return { user: req.user };
      },
    });
    const ids = inSpan(sampled, (ids) => {
      http.start('GET', '/a', { user: 'u1' }, { code: 1 })!.end(200);
      return ids;
    });
    expect(seen).toEqual([{ user: 'u1' }, { code: 1 }]);
    expect(requestExemplar(http)?.labels).toEqual({ ...ids, user: 'u1' });
    // Without a span, the hook's labels alone.
    http.start('GET', '/a', { user: 'u2' }, { code: 1 })!.end(200);
    expect(requestExemplar(http)?.labels).toEqual({ user: 'u2' });
  });

  it('keeps the set within 128 characters: drops whole labels that do not fit, never cuts a value', () => {
    const labels: Record<string, string> = {
      // 63 characters of trace labels leave 65.
      a: 'x'.repeat(60), // 61: fits
      b: 'y'.repeat(10), // 11: would make 135, dropped
      c: 'z', // 2: fits (126)
      trace_id: 'forged', // taken by the trace labels, dropped
      'not-a-name': 'v', // invalid name, dropped
      __reserved: 'v', // reserved prefix, dropped
    };
    const http = createHttpMetrics({ registry: new Registry(), exemplar: () => labels });
    const ids = inSpan(sampled, (ids) => {
      http.start('GET', '/a', {}, {})!.end(200);
      return ids;
    });
    const got = requestExemplar(http)!.labels;
    expect(got).toEqual({ ...ids, a: labels.a, c: 'z' });
    const size = Object.entries(got).reduce((n, [k, v]) => n + [...k].length + [...v].length, 0);
    expect(size).toBe(126);
  });

  it('counts characters, not UTF-16 units, as OpenMetrics does', () => {
    const http = createHttpMetrics({
      registry: new Registry(),
      exemplar: () => ({ e: '😱'.repeat(127) }), // 128 characters, 254 UTF-16 units
    });
    http.start('GET', '/a', {}, {})!.end(200);
    expect(requestExemplar(http)?.labels.e).toBe('😱'.repeat(127));
  });

  it('a throwing or odd hook adds nothing and never reaches the app', () => {
    for (const hook of [
      () => {
        throw new Error('hook');
      },
      () => 'labels',
      () => null,
      () => ({ n: 1 }),
    ]) {
      const http = createHttpMetrics({
        registry: new Registry(),
        exemplar: hook as unknown as () => Labels,
      });
      const ids = inSpan(sampled, (ids) => {
        expect(() => http.start('GET', '/a', {}, {})!.end(200)).not.toThrow();
        return ids;
      });
      expect(requestExemplar(http)?.labels).toEqual(ids);
    }
  });

  it("stamps a request's exemplars with one wall-clock time, when it ended", () => {
    const http = createHttpMetrics({ registry: new Registry(), buckets: [10] });
    const t = inSpan(sampled, () => http.start('GET', '/a', {}, {})!);
    const before = Date.now() / 1000;
    t.end(200);
    const after = Date.now() / 1000;
    const stamp = requestExemplar(http)!.timestamp!;
    // The request's clock is not the wall clock: allow their offset's millisecond grain.
    expect(stamp).toBeGreaterThanOrEqual(before - 0.002);
    expect(stamp).toBeLessThanOrEqual(after + 0.002);
    expect(bucketExemplars(http).map((e) => e.timestamp)).toEqual([stamp]);
  });

  it("leaves other exemplars their own time, also after a request's record threw", async () => {
    const seen: string[] = [];
    for (const labelled of [false, true]) {
      const http = createHttpMetrics({
        registry: new Registry(),
        buckets: [10],
        onError: (_error, stage) => seen.push(stage),
        // A labels hook takes the labelled path, whose histogram is patched below.
        ...(labelled ? { extraLabelNames: ['tier'], labels: () => ({ tier: 'a' }) } : {}),
      });
      if (labelled) {
        http.duration!.observeWithExemplar = () => {
          throw new Error('observe');
        };
      }
      inSpan(sampled, () => http.start('GET', '/a', {}, {})!).end(200);
      const requestStamp = requestExemplar(http)!.timestamp!;
      await new Promise((resolve) => setTimeout(resolve, 30));
      const own = new Counter('own_total', 'Own.', { registry: null });
      const before = Date.now() / 1000;
      inSpan(sampled, () => own.incWithExemplar(undefined, 1, traceExemplar()));
      const after = Date.now() / 1000;
      const ownStamp = (own.collect() as CounterFamily).points[0]!.exemplar!.timestamp!;
      expect(ownStamp - requestStamp).toBeGreaterThan(0.02);
      expect(ownStamp).toBeGreaterThanOrEqual(before);
      expect(ownStamp).toBeLessThanOrEqual(after);
    }
    expect(seen).toEqual(['record']);
  });

  it('rejects option values of the wrong type', () => {
    expect(() => createHttpMetrics({ exemplars: 'yes' as unknown as boolean })).toThrow(
      'createHttpMetrics: exemplars must be true or false, got "yes"',
    );
    expect(() => createHttpMetrics({ exemplar: {} as unknown as () => undefined })).toThrow(
      /exemplar must be a function/,
    );
  });
});
