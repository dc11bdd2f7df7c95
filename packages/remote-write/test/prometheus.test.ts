// A real Prometheus 2.42 as the receiver: what was recorded is what its query API answers.
import { type PrometheusHandle, sampleValue, startPrometheus } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteWriter } from '../src/index';
import { recordedRegistry } from './fixture-registry';

describe('remote write to Prometheus 2.42 (--web.enable-remote-write-receiver)', () => {
  let prom: PrometheusHandle;
  beforeAll(async () => {
    prom = await startPrometheus({
      targets: [],
      nativeHistograms: true,
      extraFlags: ['--web.enable-remote-write-receiver'],
    });
  });
  afterAll(async () => {
    await prom?.stop();
  });

  it('stores counters, gauges, classic and native histograms and summaries as recorded', async () => {
    const registry = recordedRegistry();
    const errors: unknown[] = [];
    const writer = new RemoteWriter({
      url: `${prom.url}/api/v1/write`,
      registry,
      externalLabels: { job: 'rw-test', instance: 'one' },
      maxSamplesPerRequest: 5,
      onError: (error) => errors.push(error),
    });
    await writer.push();
    const value = async (promql: string): Promise<number> => {
      const [sample] = await prom.waitFor(promql);
      return sampleValue(sample!);
    };
    const sel = '{job="rw-test",instance="one"}';
    expect(await value(`rw_requests_total{route="/a",job="rw-test",instance="one"}`)).toBe(7);
    expect(await value(`rw_requests_total{route="/b"}`)).toBe(2.5);
    expect(await value(`rw_temperature_celsius${sel}`)).toBe(-3.25);
    expect(await value(`rw_latency_seconds_bucket{le="0.1"}`)).toBe(1);
    expect(await value(`rw_latency_seconds_bucket{le="1"}`)).toBe(3);
    expect(await value(`rw_latency_seconds_bucket{le="+Inf"}`)).toBe(4);
    expect(await value('rw_latency_seconds_sum')).toBe(4.05);
    expect(await value('rw_latency_seconds_count')).toBe(4);
    expect(await value('rw_size_bytes_count')).toBe(10);
    expect(await value('rw_size_bytes_sum')).toBe(5500);
    const summary = (await registry.collect()).find((f) => f.name === 'rw_size_bytes');
    const quantiles = summary?.type === 'summary' ? summary.points[0]!.value.quantiles : [];
    expect(quantiles.length).toBe(3);
    for (const q of quantiles) {
      expect(await value(`rw_size_bytes{quantile="${q.quantile}"}`)).toBe(q.value);
    }
    expect(await value(`histogram_count(rw_native_seconds${sel})`)).toBe(6);
    expect(await value('histogram_sum(rw_native_seconds)')).toBeCloseTo(4.341, 12);
    // The writer's own counters travel with the snapshot.
    expect(await value('promkit_remote_write_failures_total{reason="http"}')).toBe(0);
    // 2.42's receiver drops metadata (it stores samples only): test/encoding.test.ts checks it.
    expect(errors).toEqual([]);
  });
});
