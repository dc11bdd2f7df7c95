import { describe, expect, expectTypeOf, it } from 'vitest';
import client, {
  Counter,
  type CounterConfiguration,
  Gauge,
  Histogram,
  type LabelValues,
  type Metric,
  type MetricObjectWithValues,
  type MetricValue,
  Registry,
  register,
  Summary,
} from '../src/index';

// Code as written against prom-client 15's index.d.ts: it must type-check against this package.
describe('types accept prom-client 15 code', () => {
  it('typed label names, every call form', async () => {
    const registry = new Registry();
    const requests = new Counter({
      name: 'typed_requests_total',
      help: 'h',
      labelNames: ['method', 'code'] as const,
      registers: [registry],
    });
    requests.inc();
    requests.inc(2);
    requests.inc({ method: 'GET', code: 200 });
    requests.inc({ method: 'GET' }, 3);
    requests.labels('GET', '200').inc();
    requests.labels({ method: 'POST' }).inc(1);
    requests.remove({ method: 'GET', code: 200 });
    requests.remove('GET', '200');
    // @ts-expect-error a label that was not declared
    expect(() => requests.inc({ path: '/' })).toThrow('Added label "path"');

    const gauge = new Gauge<'queue'>({
      name: 'typed_depth',
      help: 'h',
      labelNames: ['queue'],
      registers: [registry],
    });
    gauge.set(1);
    gauge.set({ queue: 'a' }, 2);
    gauge.inc({ queue: 'a' });
    gauge.dec();
    gauge.setToCurrentTime({ queue: 'a' });
    const end: (labels?: LabelValues<'queue'>) => number = gauge.startTimer();
    end({ queue: 'b' });
    gauge.labels('a').startTimer()();

    const histogram = new Histogram({
      name: 'typed_seconds',
      help: 'h',
      buckets: client.linearBuckets(0.1, 0.1, 3),
      registers: [registry],
    });
    histogram.observe(1);
    histogram.startTimer()();
    histogram.zero({});
    const summary = new Summary({
      name: 'typed_bytes',
      help: 'h',
      percentiles: [0.5],
      maxAgeSeconds: 60,
      ageBuckets: 5,
      pruneAgedBuckets: true,
      registers: [registry],
    });
    summary.observe(3);

    const metrics: Metric[] = [requests, gauge, histogram, summary];
    const json: MetricObjectWithValues<MetricValue<string>> = await requests.get();
    expectTypeOf(json.values[0]!.value).toEqualTypeOf<number>();
    expectTypeOf(await registry.metrics()).toEqualTypeOf<string>();
    expectTypeOf(register.contentType).toEqualTypeOf<'text/plain; version=0.0.4; charset=utf-8'>();
    const config: CounterConfiguration<'a'> = {
      name: 'typed_collected',
      help: 'h',
      labelNames: ['a'],
      registers: [],
      collect() {
        this.inc({ a: 'x' });
      },
    };
    new Counter(config);
    const workers: Array<object> = [await registry.getMetricsAsJSON()];
    const aggregated = client.AggregatorRegistry.aggregate(workers);
    expect((await aggregated.getMetricsAsJSON())[0]?.values.length).toBeGreaterThan(0);
    expect(metrics).toHaveLength(4);
    expect(registry.getSingleMetric('typed_bytes')).toBe(summary);
  });
});
