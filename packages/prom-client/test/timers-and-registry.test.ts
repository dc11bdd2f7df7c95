import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as client from '../src/index';
import { Counter, Gauge, Histogram, Registry, Summary } from '../src/index';

const OM = Registry.OPENMETRICS_CONTENT_TYPE;

describe('timers (fake clock)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0, toFake: ['Date', 'hrtime', 'performance', 'setTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gauge, histogram and summary timers record elapsed seconds with merged labels', async () => {
    const registers = [new Registry()];
    const gauge = new Gauge({ name: 't_gauge', help: 'h', labelNames: ['a', 'b'], registers });
    const histogram = new Histogram({
      name: 't_hist',
      help: 'h',
      labelNames: ['a', 'b'],
      registers,
    });
    const summary = new Summary({ name: 't_sum', help: 'h', labelNames: ['a', 'b'], registers });
    const start = { a: '1' };
    const ends = [gauge.startTimer(start), histogram.startTimer(start), summary.startTimer(start)];
    vi.advanceTimersByTime(1500);
    expect(ends.map((end) => end({ b: '2' }))).toEqual([1.5, 1.5, 1.5]);
    expect(start).toEqual({ a: '1' });
    expect((await gauge.get()).values).toEqual([{ labels: { a: '1', b: '2' }, value: 1.5 }]);
    const sum = (await histogram.get()).values.find((v) => v.metricName === 't_hist_sum');
    expect(sum).toMatchObject({ labels: { a: '1', b: '2' }, value: 1.5 });
    expect((await summary.get()).values.at(-1)).toMatchObject({
      metricName: 't_sum_count',
      value: 1,
    });

    const child = histogram.labels('x', 'y').startTimer();
    vi.advanceTimersByTime(250);
    expect(child()).toBe(0.25);
  });

  it('setToCurrentTime uses seconds since the epoch', async () => {
    vi.setSystemTime(1_700_000_123_456);
    const gauge = new Gauge({ name: 't_now', help: 'h', registers: [] });
    gauge.setToCurrentTime();
    expect((await gauge.get()).values[0]?.value).toBe(1_700_000_123.456);
  });

  it('summary sliding window: values age out; pruneAgedBuckets drops the series', async () => {
    const windowed = new Summary({
      name: 't_window',
      help: 'h',
      labelNames: ['k'],
      percentiles: [0.5],
      maxAgeSeconds: 10,
      ageBuckets: 2,
      registers: [],
    });
    const pruned = new Summary({
      name: 't_pruned',
      help: 'h',
      labelNames: ['k'],
      percentiles: [0.5],
      maxAgeSeconds: 10,
      ageBuckets: 2,
      pruneAgedBuckets: true,
      registers: [],
    });
    windowed.observe({ k: 'a' }, 7);
    pruned.observe({ k: 'a' }, 7);
    vi.advanceTimersByTime(5001);
    expect((await windowed.get()).values[0]?.value).toBe(7);
    vi.advanceTimersByTime(5000);
    const aged = (await windowed.get()).values;
    expect(aged.map((v) => v.value)).toEqual([0, 7, 1]); // quantile gone, sum and count kept
    expect((await pruned.get()).values).toEqual([]);
  });
});

describe('Registry API', () => {
  it('getSingleMetric, getSingleMetricAsString, getMetricsAsArray, removeSingleMetric', async () => {
    const registry = new Registry();
    const a = new Counter({ name: 'r_a', help: 'A.', registers: [registry] });
    new Gauge({ name: 'r_b', help: 'B.', registers: [registry] });
    expect(registry.getSingleMetric('r_a')).toBe(a);
    expect(await registry.getSingleMetricAsString('r_a')).toBe(
      '# HELP r_a A.\n# TYPE r_a counter\nr_a 0',
    );
    expect(registry.getMetricsAsArray().map((m) => m.name)).toEqual(['r_a', 'r_b']);
    registry.removeSingleMetric('r_a');
    expect(registry.getSingleMetric('r_a')).toBeUndefined();
    registry.registerMetric(a);
    registry.registerMetric(a); // the same object twice is fine
    expect(registry.getMetricsAsArray().map((m) => m.name)).toEqual(['r_b', 'r_a']);
  });

  it('resetMetrics resets every metric; clear() drops metrics and default labels', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ env: 'x' });
    const c = new Counter({ name: 'r_c', help: 'h', labelNames: ['k'], registers: [registry] });
    const s = new Summary({ name: 'r_s', help: 'h', percentiles: [0.5], registers: [registry] });
    c.inc({ k: '1' });
    s.observe(4);
    registry.resetMetrics();
    expect((await c.get()).values).toEqual([]);
    expect((await s.get()).values.map((v) => v.value)).toEqual([0, 0, 0]);
    registry.clear();
    expect(await registry.metrics()).toBe('\n');
    new Gauge({ name: 'r_g', help: 'h', registers: [registry] });
    expect(await registry.metrics()).toBe('# HELP r_g h\n# TYPE r_g gauge\nr_g 0\n');
  });

  it('merge() combines registries of one content type and refuses a shared name', async () => {
    const one = new Registry(OM);
    const two = new Registry(OM);
    new Counter({ name: 'm_one', help: 'h', registers: [one] }).inc();
    new Counter({ name: 'm_two', help: 'h', registers: [two] }).inc(2);
    const merged = Registry.merge([one, two]);
    expect(merged.contentType).toBe(OM);
    expect(await merged.metrics()).toBe(
      '# HELP m_one h\n# TYPE m_one counter\nm_one_total 1\n# HELP m_two h\n# TYPE m_two counter\nm_two_total 2\n# EOF\n',
    );
    new Gauge({ name: 'm_one', help: 'h', registers: [two] });
    expect(() => Registry.merge([one, two])).toThrow(
      'A metric with the name m_one has already been registered.',
    );
  });

  it('the exported contentType follows the global register', () => {
    expect(client.contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    client.register.setContentType(OM as never);
    expect(client.contentType).toBe(OM);
    expect(client.default.contentType).toBe(OM);
    client.register.setContentType(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(client.contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    expect(client.prometheusContentType).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(client.openMetricsContentType).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
  });

  it('Registry.globalRegistry is the global register, as in prom-client', () => {
    expect(Registry.globalRegistry).toBe(client.register);
  });

  it('validateMetricName and friends', () => {
    expect(client.validateMetricName('a:b_c')).toBe(true);
    expect(client.validateMetricName('0a')).toBe(false);
    expect(client.validateLabelName(['ok', '_x'])).toBe(true);
    expect(client.validateLabelName(['a:b'])).toBe(false);
    expect(() => client.validateLabel(['a'], { b: 1 })).toThrow('Added label "b" is not included');
  });

  it('label sets that differ only in separators stay apart (prom-client merges them)', async () => {
    const registry = new Registry();
    const c = new Counter({
      name: 'sep',
      help: 'h',
      labelNames: ['a', 'b'],
      registers: [registry],
    });
    c.inc({ a: 'x,b:y' });
    c.inc({ a: 'x', b: 'y' });
    expect((await c.get()).values).toHaveLength(2);
  });
});
