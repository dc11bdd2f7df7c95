import { Counter, DuplicateMetricError, encodeText, Registry } from '@promkit/core';
import { promtoolCheck } from '@promkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregationHints, collectDefaultMetrics, type DefaultMetrics } from '../src/index';
import { parseSamples } from './helpers/parse-text';

const PROM_CLIENT_NAMES = [
  'process_cpu_user_seconds_total',
  'process_cpu_system_seconds_total',
  'process_cpu_seconds_total',
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_virtual_memory_bytes',
  'process_heap_bytes',
  'process_open_fds',
  'process_max_fds',
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_requests',
  'nodejs_active_requests_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
  'nodejs_heap_size_total_bytes',
  'nodejs_heap_size_used_bytes',
  'nodejs_external_memory_bytes',
  'nodejs_heap_space_size_total_bytes',
  'nodejs_heap_space_size_used_bytes',
  'nodejs_heap_space_size_available_bytes',
  'nodejs_version_info',
  'nodejs_gc_duration_seconds',
];

const handles: DefaultMetrics[] = [];
function track(handle: DefaultMetrics): DefaultMetrics {
  handles.push(handle);
  return handle;
}
afterEach(() => {
  for (const handle of handles.splice(0)) handle.stop();
});

/** Allocates enough short-lived garbage to make V8 run a few minor collections. */
function churn(): number {
  let total = 0;
  for (let i = 0; i < 200; i++) {
    const chunk = new Array(10_000).fill(i).map((v, j) => ({ v, j }));
    total += chunk.length;
  }
  return total;
}

describe('collectDefaultMetrics', () => {
  it('registers every prom-client name, plus the event-loop utilization counters', async () => {
    const registry = new Registry();
    const runtime = track(collectDefaultMetrics({ registry }));
    const families = await registry.collect();
    const names = families.map((f) => f.name);
    for (const name of PROM_CLIENT_NAMES) expect(names, name).toContain(name);
    expect(names).toContain('nodejs_eventloop_active_seconds_total');
    expect(names).toContain('nodejs_eventloop_idle_seconds_total');
    expect([...runtime.metricNames].sort()).toEqual([...names].sort());
  });

  it('reports sane values', async () => {
    const registry = new Registry();
    track(collectDefaultMetrics({ registry }));
    churn();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const samples = parseSamples(encodeText(await registry.collect()));
    const value = (key: string) => {
      const v = samples.get(key);
      expect(v, key).toBeTypeOf('number');
      return v!;
    };
    const nowSeconds = Date.now() / 1000;

    expect(value('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(value('process_cpu_seconds_total')).toBeCloseTo(
      value('process_cpu_user_seconds_total') + value('process_cpu_system_seconds_total'),
      6,
    );
    const start = value('process_start_time_seconds');
    expect(start).toBeLessThanOrEqual(nowSeconds);
    expect(start).toBeGreaterThan(nowSeconds - process.uptime() - 5);
    expect(value('process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(value('process_virtual_memory_bytes')).toBeGreaterThanOrEqual(
      value('process_resident_memory_bytes'),
    );
    expect(value('process_heap_bytes')).toBeGreaterThan(0);
    const openFds = value('process_open_fds');
    expect(openFds).toBeGreaterThanOrEqual(3);
    expect(openFds).toBeLessThan(value('process_max_fds'));

    expect(value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    for (const stat of ['min', 'max', 'mean', 'stddev', 'p50', 'p90', 'p99']) {
      const v = value(`nodejs_eventloop_lag_${stat}_seconds`);
      expect(Number.isFinite(v), stat).toBe(true);
      expect(v, stat).toBeGreaterThanOrEqual(0);
      // libuv's "no sample" sentinel is 9.2e9 s; nothing real comes near an hour.
      expect(v, stat).toBeLessThan(3600);
    }
    expect(value('nodejs_eventloop_lag_min_seconds')).toBeLessThanOrEqual(
      value('nodejs_eventloop_lag_max_seconds'),
    );
    expect(value('nodejs_eventloop_active_seconds_total')).toBeGreaterThan(0);
    expect(value('nodejs_eventloop_idle_seconds_total')).toBeGreaterThanOrEqual(0);

    expect(value('nodejs_heap_size_used_bytes')).toBeLessThanOrEqual(
      value('nodejs_heap_size_total_bytes'),
    );
    expect(value('nodejs_external_memory_bytes')).toBeGreaterThan(0);
    expect(value('nodejs_heap_space_size_used_bytes{space="old"}')).toBeGreaterThan(0);
    expect(value('nodejs_heap_space_size_total_bytes{space="new"}')).toBeGreaterThan(0);
    expect(value('nodejs_active_handles_total')).toBeGreaterThanOrEqual(0);
    expect(value('nodejs_active_resources_total')).toBeGreaterThanOrEqual(0);

    const [major, minor, patch] = process.version.slice(1).split('.');
    expect(
      value(
        `nodejs_version_info{version="${process.version}",major="${major}",minor="${minor}",patch="${patch}"}`,
      ),
    ).toBe(1);
  });

  it('observes garbage collections in nodejs_gc_duration_seconds by kind', async () => {
    const registry = new Registry();
    track(collectDefaultMetrics({ registry }));
    const gcCount = async () => {
      const samples = parseSamples(encodeText(await registry.collect()));
      let count = 0;
      for (const [key, v] of samples) {
        if (key.startsWith('nodejs_gc_duration_seconds_count{')) count += v;
      }
      return { count, samples };
    };
    await expect
      .poll(
        async () => {
          churn();
          return (await gcCount()).count;
        },
        { timeout: 15_000, interval: 50 },
      )
      .toBeGreaterThan(0);
    const { samples } = await gcCount();
    const kinds = [...samples.keys()]
      .filter((k) => k.startsWith('nodejs_gc_duration_seconds_count{'))
      .map((k) => /kind="([^"]+)"/.exec(k)?.[1]);
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) {
      expect(['major', 'minor', 'incremental', 'weakcb']).toContain(kind);
      const count = samples.get(`nodejs_gc_duration_seconds_count{kind="${kind}"}`);
      const infBucket = [...samples].find(
        ([k]) =>
          k.startsWith('nodejs_gc_duration_seconds_bucket{') &&
          k.includes(`kind="${kind}"`) &&
          k.includes('le="+Inf"'),
      );
      expect(infBucket?.[1], kind).toBe(count);
    }
  });

  it('applies the prefix and constant labels to every family and series', async () => {
    const registry = new Registry();
    const runtime = track(
      collectDefaultMetrics({ registry, prefix: 'shop_', labels: { app: 'shop' } }),
    );
    const families = await registry.collect();
    expect(families.length).toBeGreaterThan(20);
    for (const family of families) {
      expect(family.name.startsWith('shop_'), family.name).toBe(true);
      for (const point of family.points) expect(point.labels.app, family.name).toBe('shop');
    }
    expect(runtime.metricNames.every((name) => name.startsWith('shop_'))).toBe(true);
    expect(aggregationHints(registry)).toMatchObject({
      shop_nodejs_version_info: 'first',
      shop_nodejs_eventloop_lag_max_seconds: 'max',
      shop_process_start_time_seconds: 'min',
    });
  });

  it('returns the existing handle when called twice for one registry', () => {
    const registry = new Registry();
    const first = track(collectDefaultMetrics({ registry }));
    expect(collectDefaultMetrics({ registry })).toBe(first);
    // Another prefix is another set of names, so it registers alongside.
    const prefixed = track(collectDefaultMetrics({ registry, prefix: 'x_' }));
    expect(prefixed).not.toBe(first);
  });

  it('stop() unregisters everything, and it can be collected again afterwards', async () => {
    const registry = new Registry();
    const runtime = collectDefaultMetrics({ registry });
    runtime.stop();
    runtime.stop();
    expect(await registry.collect()).toEqual([]);
    const again = track(collectDefaultMetrics({ registry }));
    expect(again).not.toBe(runtime);
    expect((await registry.collect()).length).toBe(again.metricNames.length);
  });

  it('refuses to shadow a metric the user registered, and registers nothing then', async () => {
    const registry = new Registry();
    new Counter('process_open_fds', 'Mine.', { registry });
    expect(() => collectDefaultMetrics({ registry })).toThrow(DuplicateMetricError);
    // Only the user's own metric is left.
    expect((await registry.collect()).map((f) => f.name)).toEqual(['process_open_fds']);
  });

  it('produces a page promtool accepts', async () => {
    const registry = new Registry();
    track(collectDefaultMetrics({ registry }));
    churn();
    const page = encodeText(await registry.collect());
    const result = await promtoolCheck(page);
    // Exit 3 is lint findings only: the three gauges prom-client named `_total`, which
    // are kept for dashboard compatibility. Nothing else may be reported.
    expect(result.code).toBe(3);
    const findings = result.output.trim().split('\n').sort();
    expect(findings).toEqual([
      'nodejs_active_handles_total non-counter metrics should not have "_total" suffix',
      'nodejs_active_requests_total non-counter metrics should not have "_total" suffix',
      'nodejs_active_resources_total non-counter metrics should not have "_total" suffix',
    ]);
  });

  it('leaves out the process-wide metrics with processMetrics: false', async () => {
    // The default inside worker threads (see worker-aggregator.test.ts for real threads).
    const registry = new Registry();
    track(collectDefaultMetrics({ registry, processMetrics: false }));
    const names = (await registry.collect()).map((f) => f.name);
    expect(names.some((n) => n.startsWith('process_'))).toBe(false);
    expect(names).toContain('nodejs_heap_size_used_bytes');
  });
});
