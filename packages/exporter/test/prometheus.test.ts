import { type PrometheusHandle, startPrometheus } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, type ExporterProcess, spawnExporter } from './helpers/exporter-process';

let exporter: ExporterProcess;
let prometheus: PrometheusHandle;

beforeAll(async () => {
  exporter = spawnExporter(['-H', '127.0.0.1', '-p', '0', '--sample-interval', '0.2']);
  const [url] = await exporter.listening();
  prometheus = await startPrometheus({ targets: [new URL(url!).host] });
});

afterAll(async () => {
  await prometheus?.stop();
  await cleanup();
});

describe('a real Prometheus scraping the sample exporter', () => {
  it('scrapes it without error and reads back what it served', async () => {
    await prometheus.waitFor('up{job="promkit"} == 1');
    const [target] = await prometheus.targets();
    expect(target?.lastError).toBe('');
    const [info] = await prometheus.waitFor('sample_exporter_info');
    expect(info?.metric.version).toMatch(/^\d+\.\d+\.\d+$/);
    // One update per scrape: the counter Prometheus stored is at least its number of scrapes so far.
    const [updates] = await prometheus.waitFor(
      'sample_updates_total',
      (r) => Number(r[0]?.value?.[1]) >= 2,
    );
    expect(Number(updates?.value?.[1])).toBeGreaterThanOrEqual(2);
    const levels = await prometheus.query('sample_random_level');
    expect(levels.map((s) => s.metric.sample_random_level).sort()).toEqual(['high', 'low']);
    expect(levels.reduce((sum, s) => sum + Number(s.value?.[1]), 0)).toBe(1);
    const loads = await prometheus.query('sample_load_average');
    expect(loads.map((s) => s.metric.period).sort()).toEqual(['15m', '1m', '5m']);
  });
});
