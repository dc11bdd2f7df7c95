import { promtoolCheck } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import { Counter, collectDefaultMetrics, Histogram, Registry, Summary } from '../src/index';
import { real } from './clients';

describe('collectDefaultMetrics', () => {
  it('registers every metric prom-client 15.1.3 registers, under the same names and types', async () => {
    const theirs = new real.Registry();
    real.collectDefaultMetrics({ register: theirs });
    const mine = new Registry();
    collectDefaultMetrics({ register: mine });
    const types = async (registry: {
      getMetricsAsJSON(): Promise<Array<{ name: string; type: string }>>;
    }) => new Map((await registry.getMetricsAsJSON()).map((m) => [m.name, m.type]));
    const expected = await types(theirs);
    const actual = await types(mine);
    for (const [name, type] of expected) expect([name, actual.get(name)]).toEqual([name, type]);
    mine.clear();
    theirs.clear();
  });

  it('applies prefix and labels (label values kept as given in JSON)', async () => {
    const registry = new Registry();
    collectDefaultMetrics({
      register: registry,
      prefix: 'shop_',
      labels: { NODE_APP_INSTANCE: 0 },
    });
    const metrics = await registry.getMetricsAsJSON();
    expect(metrics.length).toBeGreaterThan(10);
    for (const metric of metrics) {
      expect(metric.name.startsWith('shop_')).toBe(true);
      for (const value of metric.values ?? []) {
        expect(value.labels).toMatchObject({ NODE_APP_INSTANCE: 0 });
      }
    }
    expect(await registry.metrics()).toMatch(
      /^shop_process_cpu_user_seconds_total\{NODE_APP_INSTANCE="0"\} \d/m,
    );
    registry.clear();
  });

  it('the page, with every metric type, passes promtool check metrics', async () => {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    new Counter({
      name: 'lint_requests_total',
      help: 'Requests.',
      labelNames: ['code'],
      registers: [registry],
    }).inc({ code: '200' });
    new Histogram({ name: 'lint_seconds', help: 'Time.', registers: [registry] }).observe(0.2);
    new Summary({ name: 'lint_bytes', help: 'Bytes.', registers: [registry] }).observe(3);
    const { code, output } = await promtoolCheck(await registry.metrics());
    // prom-client's own names draw three lint findings (gauges named *_total); nothing else.
    const theirs = new real.Registry();
    real.collectDefaultMetrics({ register: theirs });
    const reference = await promtoolCheck(await theirs.metrics());
    expect(reference.code).toBe(3);
    expect(code).toBe(3);
    expect(output.trim().split('\n').sort()).toEqual(reference.output.trim().split('\n').sort());
    registry.clear();
    theirs.clear();
  });
});
