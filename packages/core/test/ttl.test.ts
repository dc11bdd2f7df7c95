import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors';
import { encode } from '../src/exposition/render';
import { createHttpMetrics } from '../src/http/http-metrics';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import { Histogram } from '../src/metrics/histogram';
import { Summary } from '../src/metrics/summary';
import { Registry } from '../src/registry';

/** A clock the test moves by hand. */
class FakeClock {
  seconds = 1000;
  readonly now = (): number => this.seconds;
  advance(seconds: number): void {
    this.seconds += seconds;
  }
}

function setup() {
  const clock = new FakeClock();
  const registry = new Registry();
  const options = { registry, ttlSeconds: 60, clock: clock.now };
  return { clock, registry, options };
}

async function seriesOf(registry: Registry, name: string): Promise<string[]> {
  const family = (await registry.collect()).find((f) => f.name === name);
  return (family?.points ?? []).map((p) => JSON.stringify(p.labels));
}

describe('ttlSeconds', () => {
  it('removes counter series not incremented for ttlSeconds, at the next collect', async () => {
    const { clock, registry, options } = setup();
    const jobs = new Counter('jobs_total', 'Jobs.', { labelNames: ['job'] as const, ...options });
    jobs.inc({ job: 'a' });
    jobs.inc({ job: 'b' });
    await registry.collect();
    clock.advance(30);
    jobs.inc({ job: 'a' });
    await registry.collect();
    clock.advance(40);
    // b idle for 70 s: gone; a updated 40 s ago: kept.
    expect(await seriesOf(registry, 'jobs_total')).toEqual(['{"job":"a"}']);
    expect(jobs.seriesCount).toBe(1);
    clock.advance(60);
    expect(await seriesOf(registry, 'jobs_total')).toEqual([]);
    // A removed counter starts again at 0 (a reset for rate()).
    jobs.inc({ job: 'b' });
    expect(jobs.get({ job: 'b' })).toBe(1);
  });

  it('counts a series first seen at a collect as active then', async () => {
    const { clock, registry, options } = setup();
    const jobs = new Counter('jobs_total', 'Jobs.', { labelNames: ['job'] as const, ...options });
    jobs.inc({ job: 'a' });
    clock.advance(59);
    expect(await seriesOf(registry, 'jobs_total')).toEqual(['{"job":"a"}']);
    clock.advance(59);
    expect(await seriesOf(registry, 'jobs_total')).toEqual(['{"job":"a"}']);
    clock.advance(1);
    expect(await seriesOf(registry, 'jobs_total')).toEqual([]);
  });

  it('keeps a gauge that is set to the same value: a write is activity', async () => {
    const { clock, registry, options } = setup();
    const up = new Gauge('up_state', 'Up.', { labelNames: ['target'] as const, ...options });
    const bound = up.labels({ target: 'b' });
    for (let i = 0; i < 3; i++) {
      up.set({ target: 'a' }, 1);
      bound.set(1);
      await registry.collect();
      clock.advance(50);
    }
    expect(await seriesOf(registry, 'up_state')).toHaveLength(2);
    up.set({ target: 'a' }, 1);
    clock.advance(61);
    expect(await seriesOf(registry, 'up_state')).toEqual(['{"target":"a"}']);
    clock.advance(61);
    expect(await seriesOf(registry, 'up_state')).toEqual([]);
  });

  it('a bound child of an expired series records again, from zero, and labels() finds it', async () => {
    const { clock, registry, options } = setup();
    const jobs = new Counter('jobs_total', 'Jobs.', { labelNames: ['job'] as const, ...options });
    const child = jobs.labels({ job: 'a' });
    child.inc(5);
    await registry.collect();
    clock.advance(61);
    expect(await seriesOf(registry, 'jobs_total')).toEqual([]);
    expect(child.value).toBe(0);
    child.inc(2);
    expect(jobs.get({ job: 'a' })).toBe(2);
    expect(child.value).toBe(2);
    jobs.labels({ job: 'a' }).inc();
    expect(child.value).toBe(3);
    // Expires again, and records again.
    await registry.collect();
    clock.advance(61);
    expect(await seriesOf(registry, 'jobs_total')).toEqual([]);
    child.inc();
    expect(jobs.get({ job: 'a' })).toBe(1);
  });

  it('revives bound gauges, histograms and summaries too', async () => {
    const { clock, registry, options } = setup();
    const gauge = new Gauge('g', 'G.', { labelNames: ['k'] as const, ...options });
    const histogram = new Histogram('h_seconds', 'H.', {
      labelNames: ['k'] as const,
      buckets: [1],
      ...options,
    });
    const summary = new Summary('s', 'S.', { labelNames: ['k'] as const, ...options });
    const g = gauge.labels({ k: 'x' });
    const h = histogram.labels({ k: 'x' });
    const s = summary.labels({ k: 'x' });
    g.set(3);
    h.observe(0.5);
    s.observe(2);
    await registry.collect();
    clock.advance(61);
    const names = (await registry.collect()).map((f) => [f.name, f.points.length]);
    expect(names).toEqual([
      ['g', 0],
      ['h_seconds', 0],
      ['s', 0],
    ]);
    g.inc(4);
    h.observe(2);
    s.observe(7);
    expect(gauge.get({ k: 'x' })).toBe(4);
    expect(histogram.get({ k: 'x' })?.count).toBe(1);
    expect(histogram.get({ k: 'x' })?.sum).toBe(2);
    expect(summary.get({ k: 'x' })).toMatchObject({ count: 1, sum: 7 });
  });

  it('makes room at maxSeries by expiring idle series before folding into the overflow', async () => {
    const { clock, registry, options } = setup();
    const jobs = new Counter('jobs_total', 'Jobs.', {
      labelNames: ['job'] as const,
      maxSeries: 2,
      ...options,
    });
    jobs.inc({ job: 'a' });
    jobs.inc({ job: 'b' });
    await registry.collect();
    clock.advance(61);
    jobs.inc({ job: 'c' });
    expect(jobs.overflowCount).toBe(0);
    expect(await seriesOf(registry, 'jobs_total')).toEqual(['{"job":"c"}']);
    jobs.inc({ job: 'd' });
    jobs.inc({ job: 'e' });
    expect(jobs.overflowCount).toBe(1);
  });

  it('works without declared label names, and snapshots for scrapes expire alike', async () => {
    const { clock, registry, options } = setup();
    const any = new Counter('any_total', 'Any.', options);
    any.inc({ user: 'u1' });
    any.inc({ user: 'u2', region: 'eu' });
    await registry.snapshot();
    clock.advance(30);
    any.inc({ user: 'u1' });
    clock.advance(31);
    const page = encode(await registry.collect(), 'text');
    expect(page).toContain('any_total{user="u1"} 2');
    expect(page).not.toContain('u2');
  });

  it('never expires the single series of a metric without labels', async () => {
    const { clock, registry, options } = setup();
    new Counter('total', 'T.', { labelNames: [] as const, ...options });
    await registry.collect();
    clock.advance(1000);
    expect(await seriesOf(registry, 'total')).toEqual(['{}']);
  });

  it('follows live label sets in HTTP metrics (ttlSeconds in the HTTP options)', async () => {
    const clock = new FakeClock();
    const registry = new Registry();
    const http = createHttpMetrics({ registry, ttlSeconds: 60, clock: clock.now });
    http.start('GET', '/a', {}, {})?.end(200);
    http.start('GET', '/b', {}, {})?.end(200);
    await registry.collect();
    clock.advance(30);
    http.start('GET', '/a', {}, {})?.end(200);
    await registry.collect();
    clock.advance(31);
    const paths = await seriesOf(registry, 'http_requests_total');
    expect(paths).toEqual(['{"method":"GET","path":"<unmatched>"}']);
    // The bound children the instrumentation caches record again after an expiry.
    clock.advance(61);
    expect(await seriesOf(registry, 'http_requests_total')).toEqual([]);
    http.start('GET', '/c', {}, {})?.end(200);
    expect(await seriesOf(registry, 'http_requests_total')).toEqual([
      '{"method":"GET","path":"<unmatched>"}',
    ]);
  });

  it('rejects a ttlSeconds that is not a finite number > 0, naming the value', () => {
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '60']) {
      expect(() => new Counter('c', 'C.', { registry: null, ttlSeconds: ttl as number })).toThrow(
        ConfigError,
      );
    }
    expect(() => new Counter('c', 'C.', { registry: null, ttlSeconds: -1 })).toThrow(
      'ttlSeconds must be a finite number > 0, got -1',
    );
  });
});
