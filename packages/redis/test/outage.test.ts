import {
  Counter,
  type CounterFamily,
  Gauge,
  type GaugeFamily,
  isPromkitError,
  type MetricFamily,
  type PromkitError,
  render,
} from '@promkit/core';
import { type RedisHandle, startRedis } from '@promkit/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRegistry, FLUSH_ERRORS_METRIC, StoreUnavailableError } from '../src/index';
import { type PersistentRedis, startPersistentRedis } from './helpers/persistent-redis';
import { waitFor } from './helpers/wait';

function counterValue(name: string, families: readonly MetricFamily[]): number | undefined {
  const family = families.find((f) => f.name === name) as CounterFamily | undefined;
  return family?.points[0]?.value;
}

describe('Redis down or slow', () => {
  let redis: PersistentRedis;

  beforeAll(async () => {
    redis = await startPersistentRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('keeps recording, fails scrapes with StoreUnavailableError, and loses nothing', async () => {
    const errors: PromkitError[] = [];
    const registry = createRedisRegistry({
      redis: redis.url,
      prefix: 'outage',
      processId: 'app',
      flushIntervalMs: 20,
      onError: (error) => errors.push(error),
    });
    const other = createRedisRegistry({
      redis: redis.url,
      prefix: 'outage',
      processId: 'other',
      onError: () => {},
    });
    try {
      const requests = new Counter('requests_total', 'Requests.', { registry, labelNames: [] });
      requests.inc(5);
      await registry.flush();

      await redis.kill();
      // The application's calls neither throw nor wait while Redis is gone.
      for (let i = 0; i < 1000; i++) requests.inc();
      await expect(registry.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
      const scrape = await render(registry).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isPromkitError(scrape) && scrape.code).toBe('PROMKIT_ERR_STORE_UNAVAILABLE');
      expect((scrape as Error).message).toMatch(
        /Redis at 127\.0\.0\.1:\d+ is unavailable, shared metrics cannot be read/,
      );
      // Many background ticks failed meanwhile, but the outage is reported once.
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 500; i++) requests.inc();
      expect(errors.filter((e) => e.code === 'PROMKIT_ERR_STORE_UNAVAILABLE')).toHaveLength(1);

      await redis.start();
      await waitFor('the registry to reconnect and flush', async () => {
        await registry.flush();
        return true;
      });
      // The other process's client reconnects on its own schedule.
      const families = await waitFor('the other process to read again', () => other.collect());
      expect(counterValue('requests_total', families)).toBe(1505);
      // Every failed attempt was counted, in the shared flush error counter itself.
      expect(counterValue(FLUSH_ERRORS_METRIC, families)).toBeGreaterThan(1);
    } finally {
      await registry.close().catch(() => {});
      await other.close().catch(() => {});
    }
  });

  it('counts a batch once when Redis runs it but the reply comes too late', async () => {
    const registry = createRedisRegistry({
      redis: redis.url,
      prefix: 'late',
      processId: 'app',
      commandTimeoutMs: 200,
      flushIntervalMs: 50,
      onError: () => {},
    });
    await redis.start();
    const admin = new Redis(redis.url);
    admin.on('error', () => {});
    try {
      const sent = new Counter('sent_total', 'Sent.', { registry, labelNames: [] });
      await registry.flush();
      // Writes wait server-side for 1 s: the flush times out, yet Redis runs it later.
      await admin.call('CLIENT', 'PAUSE', '1000', 'WRITE');
      sent.inc(7);
      await expect(registry.flush()).rejects.toBeInstanceOf(StoreUnavailableError);
      await waitFor('the paused batch to be acknowledged', async () => {
        await registry.flush();
        return true;
      });
      const stored = await admin.hget('late:m:sent_total', '[]');
      expect(Number(stored)).toBe(7);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE');
      await admin.quit();
      await registry.close();
    }
  });
});

describe('Redis restarted without persistence', () => {
  let redis: RedisHandle;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('writes metadata and this process’s gauges again after Redis lost them', async () => {
    const registry = createRedisRegistry({
      redis: redis.url,
      prefix: 'lost',
      processId: 'app',
      flushIntervalMs: 20,
      onError: () => {},
    });
    try {
      const temperature = new Gauge('temperature_celsius', 'Temperature.', {
        registry,
        labelNames: [],
      });
      const events = new Counter('events_total', 'Events.', { registry, labelNames: [] });
      temperature.set(21);
      events.inc(3);
      await registry.flush();

      await redis.restart(); // empty: --save "" and no AOF
      events.inc(2);
      const families = await waitFor('the lost gauge to be rewritten', async () => {
        const all = await registry.collect();
        const gauge = all.find((f) => f.name === 'temperature_celsius') as GaugeFamily | undefined;
        return gauge?.points.length === 1 ? all : undefined;
      });
      const gauge = families.find((f) => f.name === 'temperature_celsius') as GaugeFamily;
      expect(gauge.points[0]!.value).toBe(21);
      // Increments made after the restart are counted from zero: a counter reset, which
      // Prometheus' rate() handles. Totals only survive a restart with persistence.
      expect(counterValue('events_total', families)).toBe(2);
    } finally {
      await registry.close();
    }
  });
});
