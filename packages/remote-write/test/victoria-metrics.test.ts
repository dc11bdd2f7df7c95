// A real VictoriaMetrics (1.79, Debian) as the receiver; read back through its Prometheus API.
import { sampleValue, startVictoriaMetrics, type VictoriaMetricsHandle } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteWriter } from '../src/index';
import { recordedRegistry } from './fixture-registry';

describe('remote write to VictoriaMetrics', () => {
  let vm: VictoriaMetricsHandle;
  beforeAll(async () => {
    vm = await startVictoriaMetrics();
  });
  afterAll(async () => {
    await vm?.stop();
  });

  it('stores counters, gauges, classic histograms and summaries as recorded', async () => {
    const registry = recordedRegistry();
    const errors: unknown[] = [];
    const writer = new RemoteWriter({
      url: vm.writeUrl,
      registry,
      externalLabels: { job: 'rw-test', instance: 'one' },
      onError: (error) => errors.push(error),
    });
    await writer.push();
    const value = async (promql: string): Promise<number> => {
      const [sample] = await vm.waitFor(promql);
      return sampleValue(sample!);
    };
    expect(await value('rw_requests_total{route="/a",job="rw-test",instance="one"}')).toBe(7);
    expect(await value('rw_requests_total{route="/b"}')).toBe(2.5);
    expect(await value('rw_temperature_celsius{instance="one"}')).toBe(-3.25);
    expect(await value('rw_latency_seconds_bucket{le="0.1"}')).toBe(1);
    expect(await value('rw_latency_seconds_bucket{le="1"}')).toBe(3);
    expect(await value('rw_latency_seconds_bucket{le="+Inf"}')).toBe(4);
    expect(await value('rw_latency_seconds_sum')).toBe(4.05);
    expect(await value('rw_latency_seconds_count')).toBe(4);
    expect(await value('rw_size_bytes_count')).toBe(10);
    expect(await value('rw_size_bytes_sum')).toBe(5500);
    const summary = (await registry.collect()).find((f) => f.name === 'rw_size_bytes');
    const quantiles = summary?.type === 'summary' ? summary.points[0]!.value.quantiles : [];
    for (const q of quantiles) {
      expect(await value(`rw_size_bytes{quantile="${q.quantile}"}`)).toBe(q.value);
    }
    // 1.79 knows no native histograms; the rest of the request is stored all the same.
    expect(errors).toEqual([]);
  });
});
