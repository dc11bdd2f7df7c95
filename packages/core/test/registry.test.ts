import { describe, expect, it } from 'vitest';
import {
  CollectError,
  ConfigError,
  Counter,
  DuplicateMetricError,
  Gauge,
  Histogram,
  type MetricFamily,
  REGISTRY,
  Registry,
  StateSet,
  Summary,
} from '../src/index';

const gaugeFamily = (name: string, value: number): MetricFamily => ({
  name,
  help: 'h',
  type: 'gauge',
  points: [{ labels: {}, value }],
});

describe('Registry', () => {
  it('registers metrics by default in REGISTRY and unregisters them', () => {
    const c = new Counter('default_registry_total', 'D.');
    expect(REGISTRY.get('default_registry_total')).toBe(c);
    expect(REGISTRY.unregister(c)).toBe(true);
    expect(REGISTRY.get('default_registry_total')).toBeUndefined();
    expect(REGISTRY.unregister('default_registry_total')).toBe(false);
  });

  it('collects in registration order, sync and async collectors alike', async () => {
    const registry = new Registry();
    new Gauge('first', 'F.', { registry }).set(1);
    registry.register({ collect: async () => [gaugeFamily('second', 2), gaugeFamily('third', 3)] });
    registry.register({ name: 'fourth', collect: () => gaugeFamily('fourth', 4) });
    const names = (await registry.collect()).map((f) => f.name);
    expect(names).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('throws DuplicateMetricError for a second metric of the same name, keeping the first', () => {
    const registry = new Registry();
    const first = new Counter('dup_total', 'D.', { registry });
    expect(() => new Gauge('dup_total', 'D.', { registry })).toThrow(DuplicateMetricError);
    expect(registry.get('dup_total')).toBe(first);
    expect(() => registry.register({} as never)).toThrow(ConfigError);
  });

  it('skips a failing or hanging collector, reports it, and still answers', async () => {
    const errors: CollectError[] = [];
    const registry = new Registry({ collectTimeoutMs: 100, onCollectError: (e) => errors.push(e) });
    new Gauge('ok', 'O.', { registry }).set(1);
    registry.register({
      name: 'throws',
      collect: () => {
        throw new Error('boom');
      },
    });
    registry.register({
      name: 'rejects',
      collect: async () => {
        throw new Error('async boom');
      },
    });
    registry.register({ name: 'hangs', collect: () => new Promise<MetricFamily[]>(() => {}) });
    const families = await registry.collect();
    expect(families.map((f) => f.name)).toEqual(['ok', 'promkit_collector_failures_total']);
    const failures = families[1]!;
    expect(failures.points.map((p) => [p.labels.collector, 'value' in p ? p.value : 0])).toEqual([
      ['throws', 1],
      ['rejects', 1],
      ['hangs', 1],
    ]);
    expect(errors.map((e) => e.message)).toEqual([
      'collector "throws" failed: boom',
      'collector "rejects" failed: async boom',
      'collector "hangs" failed: timed out after 100 ms',
    ]);
    expect(errors[0]).toBeInstanceOf(CollectError);
  });

  it('shares one in-flight collection between concurrent scrapes', async () => {
    const registry = new Registry();
    let calls = 0;
    registry.register({
      collect: async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 20));
        return gaugeFamily('slow', calls);
      },
    });
    const [a, b] = await Promise.all([registry.collect(), registry.collect()]);
    expect(calls).toBe(1);
    expect(a).toBe(b);
    await registry.collect();
    expect(calls).toBe(2);
  });

  it('shares one run of a subclass’s collectAll() hook between concurrent scrapes', async () => {
    let reads = 0;
    let release: () => void = () => {};
    class StoreRegistry extends Registry {
      protected override async collectAll(): Promise<MetricFamily[]> {
        reads++;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return [gaugeFamily('from_store', reads)];
      }
    }
    const registry = new StoreRegistry();
    const first = registry.collect();
    const second = registry.collect();
    release();
    const [a, b] = await Promise.all([first, second]);
    expect(reads).toBe(1);
    expect(a).toBe(b);
    expect(a[0]?.name).toBe('from_store');
    const third = registry.collect();
    release();
    await third;
    expect(reads).toBe(2);
  });

  it('clear() and resetMetrics()', async () => {
    const registry = new Registry();
    const c = new Counter('r_total', 'R.', { registry });
    c.inc(5);
    registry.resetMetrics();
    expect(c.get()).toBeUndefined();
    registry.clear();
    expect(await registry.collect()).toEqual([]);
    new Counter('r_total', 'R.', { registry });
  });
});

describe('registration', () => {
  it('never leaves a metric that failed validation registered', () => {
    const registry = new Registry();
    expect(() => new Histogram('bad_buckets', 'B.', { registry, buckets: [] })).toThrow(
      ConfigError,
    );
    expect(() => new Summary('bad_summary', 'S.', { registry, invariants: [[2, 0.1]] })).toThrow(
      ConfigError,
    );
    expect(() => new StateSet('bad_states', 'S.', { registry, states: [] })).toThrow(ConfigError);
    expect(registry.getAll()).toEqual([]);
    new Histogram('bad_buckets', 'B.', { registry, buckets: [1] });
  });
});
