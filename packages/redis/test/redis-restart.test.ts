import type { CounterFamily } from '@promkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRegistry, FLUSH_ERRORS_METRIC, type RedisRegistry } from '../src/index';
import { type PersistentRedis, startPersistentRedis } from './helpers/persistent-redis';
import { waitFor } from './helpers/wait';
import { startWorker, type Worker } from './helpers/worker';

// Workers increment every millisecond while Redis is SIGKILLed and restarted on the same
// port. Redis runs with an fsynced append-only file, so what it acknowledged survives the
// crash; what it never acknowledged stays pending in the workers and is resent. The final
// total must be exactly the number of increments made.
describe('Redis killed and restarted mid-run', () => {
  let redis: PersistentRedis;
  let workers: Worker[] = [];
  let reader: RedisRegistry;

  beforeAll(async () => {
    redis = await startPersistentRedis();
    workers = await Promise.all(
      [0, 1, 2].map((i) =>
        startWorker({
          redis: redis.url,
          prefix: 'restart',
          processId: `w${i}`,
          flushIntervalMs: 25,
        }),
      ),
    );
    reader = createRedisRegistry({
      redis: redis.url,
      prefix: 'restart',
      processId: 'reader',
      onError: () => {},
    });
  });
  afterAll(async () => {
    await reader?.close().catch(() => {});
    await Promise.all(workers.map((w) => w.kill()));
    await redis?.stop();
  });

  it('loses no increment', async () => {
    await Promise.all(workers.map((w) => w.call('run')));
    await new Promise((r) => setTimeout(r, 300));
    await redis.kill();
    // Down for a while: every worker keeps incrementing and failing its flushes.
    await new Promise((r) => setTimeout(r, 500));
    await redis.start();
    await new Promise((r) => setTimeout(r, 300));
    const made = await Promise.all(workers.map((w) => w.call<number>('stop')));
    await waitFor('every worker to flush after the restart', async () => {
      await Promise.all(workers.map((w) => w.call('flush')));
      return true;
    });
    const families = await reader.collect();
    const jobs = families.find((f) => f.name === 'jobs_total') as CounterFamily;
    const run = jobs.points.find((p) => p.labels.queue === 'run');
    expect(made.every((n) => n > 0)).toBe(true);
    expect(run?.value).toBe(made.reduce((a, b) => a + b, 0));
    const errors = families.find((f) => f.name === FLUSH_ERRORS_METRIC) as CounterFamily;
    // The outage really happened: flushes failed while Redis was down.
    expect(errors.points[0]!.value).toBeGreaterThan(0);
  });
});
