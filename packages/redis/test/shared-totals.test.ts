import { render } from '@promkit/core';
import { type RedisHandle, startRedis } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRegistry, type RedisRegistry } from '../src/index';
import { parseSamples } from './helpers/samples';
import { startWorker, type Worker } from './helpers/worker';

// Four real processes record into one Redis; any process (even one that never defined
// the metrics) must expose the exact sums.
describe('counters, histograms and summaries summed across processes', () => {
  let redis: RedisHandle;
  let workers: Worker[] = [];
  let reader: RedisRegistry;
  const plan = [
    { queue: 'mail', count: 1000 },
    { queue: 'mail', count: 2501 },
    { queue: 'sms', count: 333 },
    { queue: 'sms', count: 4000 },
  ];

  beforeAll(async () => {
    redis = await startRedis();
    workers = await Promise.all(
      plan.map((_, i) => startWorker({ redis: redis.url, prefix: 'totals', processId: `w${i}` })),
    );
    reader = createRedisRegistry({ redis: redis.url, prefix: 'totals', processId: 'reader' });
  });

  afterAll(async () => {
    await reader?.close();
    await Promise.all(workers.map((w) => w.kill()));
    await redis?.stop();
  });

  it('exposes the sum of every increment and observation from any process', async () => {
    await Promise.all(workers.map((w, i) => w.call('work', plan[i])));
    // Half the workers flush explicitly, the others rely on their background flush.
    await Promise.all(workers.slice(0, 2).map((w) => w.call('flush')));
    const expected = (queue: string) => plan.filter((p) => p.queue === queue).map((p) => p.count);
    const bucketsOf = (counts: number[]) => {
      // Durations cycle 0.05, 0.3, 0.7, 2 per job: per-bucket totals for `count` jobs.
      const per = (count: number, k: number) => Math.floor(count / 4) + (count % 4 > k ? 1 : 0);
      const sum = (k: number) => counts.reduce((acc, c) => acc + per(c, k), 0);
      const total = counts.reduce((a, b) => a + b, 0);
      return {
        le01: sum(0),
        le05: sum(0) + sum(1),
        le1: sum(0) + sum(1) + sum(2),
        inf: total,
        sum: sum(0) * 0.05 + sum(1) * 0.3 + sum(2) * 0.7 + sum(3) * 2,
      };
    };

    let samples = new Map<string, number>();
    const want =
      expected('mail').reduce((a, b) => a + b, 0) + expected('sms').reduce((a, b) => a + b, 0);
    // The background flushes land within a few ticks; read until the totals are complete.
    const deadline = Date.now() + 10_000;
    do {
      samples = parseSamples((await render(reader)).body as string);
      if ((samples.get('payload_bytes_count') ?? 0) === want) break;
      await new Promise((r) => setTimeout(r, 50));
    } while (Date.now() < deadline);

    for (const queue of ['mail', 'sms']) {
      const counts = expected(queue);
      const total = counts.reduce((a, b) => a + b, 0);
      expect(samples.get(`jobs_total{queue="${queue}"}`)).toBe(total);
      const b = bucketsOf(counts);
      expect(samples.get(`job:duration_seconds_bucket{queue="${queue}",le="0.1"}`)).toBe(b.le01);
      expect(samples.get(`job:duration_seconds_bucket{queue="${queue}",le="0.5"}`)).toBe(b.le05);
      expect(samples.get(`job:duration_seconds_bucket{queue="${queue}",le="1"}`)).toBe(b.le1);
      expect(samples.get(`job:duration_seconds_bucket{queue="${queue}",le="+Inf"}`)).toBe(b.inf);
      expect(samples.get(`job:duration_seconds_count{queue="${queue}"}`)).toBe(b.inf);
      expect(samples.get(`job:duration_seconds_sum{queue="${queue}"}`)).toBeCloseTo(b.sum, 6);
    }
    expect(samples.get('payload_bytes_count')).toBe(want);
    expect(samples.get('payload_bytes_sum')).toBe(want * 10);
    // Summary quantiles are never shown: they cannot be combined across processes.
    expect([...samples.keys()].some((k) => k.includes('quantile'))).toBe(false);

    // A worker serves the same totals as the reader that never defined the metrics.
    const fromWorker = parseSamples(await workers[3]!.call<string>('scrape'));
    for (const [key, value] of samples) {
      if (key.startsWith('jobs_total') || key.startsWith('job:') || key.startsWith('payload')) {
        expect(fromWorker.get(key), key).toBe(value);
      }
    }
  });

  it('sends one script call per flush, not one round trip per increment', async () => {
    const stats = async () => {
      const info = await reader.client.info('commandstats');
      const calls = (cmd: string) =>
        Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
      return { scripts: calls('evalsha') + calls('eval') };
    };
    await workers[0]!.call('flush');
    const before = await stats();
    await workers[0]!.call('work', { queue: 'mail', count: 20_000 });
    await workers[0]!.call('flush');
    const after = await stats();
    // 20 000 increments (+ observations) reach Redis in a handful of script calls (one per
    // tick that saw changes, the explicit flush, maybe a heartbeat), not 20 000 round trips.
    expect(after.scripts - before.scripts).toBeLessThan(10);
    expect(after.scripts - before.scripts).toBeGreaterThan(0);
  });
});
