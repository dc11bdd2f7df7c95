import { Gauge, type GaugeFamily, Info, type MetricFamily, StateSet } from '@promkit/core';
import { type RedisHandle, startRedis } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisRegistry, GAUGE_MODES, type GaugeMode, type RedisRegistry } from '../src/index';
import { waitFor } from './helpers/wait';
import { startWorker } from './helpers/worker';

function gaugeValues(families: MetricFamily[], name: string): Record<string, number> {
  const family = families.find((f) => f.name === name) as GaugeFamily | undefined;
  const out: Record<string, number> = {};
  for (const p of family?.points ?? []) out[JSON.stringify(p.labels)] = p.value;
  return out;
}

describe('gauge modes', () => {
  let redis: RedisHandle;
  const registries: RedisRegistry[] = [];
  const modes = Object.fromEntries(GAUGE_MODES.map((m) => [`g_${m}`, m])) as Record<
    string,
    GaugeMode
  >;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.allSettled(registries.map((r) => r.close()));
    await redis?.stop();
  });

  const open = (processId: string, prefix: string, extra: Record<string, unknown> = {}) => {
    const registry = createRedisRegistry({
      redis: redis.url,
      prefix,
      processId,
      gaugeModes: modes,
      ...extra,
    });
    registries.push(registry);
    return registry;
  };

  it('combines per-process values by each mode', async () => {
    // Three processes (separate registries and connections) set every gauge; values per
    // process: a=3, b=-1, c=7, with c writing last.
    const values: Array<[string, number]> = [
      ['a', 3],
      ['b', -1],
      ['c', 7],
    ];
    for (const [id, value] of values) {
      const registry = open(id, 'modes');
      for (const name of Object.keys(modes)) {
        new Gauge(name, `mode ${modes[name]}`, { registry, labelNames: ['kind'] as const }).set(
          { kind: 'x' },
          value,
        );
      }
      await registry.flush();
    }
    const families = await registries[0]!.collect();
    const x = JSON.stringify({ kind: 'x' });
    const perProcess = {
      [JSON.stringify({ kind: 'x', process: 'a' })]: 3,
      [JSON.stringify({ kind: 'x', process: 'b' })]: -1,
      [JSON.stringify({ kind: 'x', process: 'c' })]: 7,
    };
    for (const live of ['', 'live']) {
      expect(gaugeValues(families, `g_${live}all`)).toEqual(perProcess);
      expect(gaugeValues(families, `g_${live}sum`)).toEqual({ [x]: 9 });
      expect(gaugeValues(families, `g_${live}min`)).toEqual({ [x]: -1 });
      expect(gaugeValues(families, `g_${live}max`)).toEqual({ [x]: 7 });
      expect(gaugeValues(families, `g_${live}mostrecent`)).toEqual({ [x]: 7 });
    }

    // mostrecent follows the last change, whichever process made it.
    const a = registries[0]!;
    (a.get('g_mostrecent') as Gauge<'kind'>).set({ kind: 'x' }, 42);
    (a.get('g_livemostrecent') as Gauge<'kind'>).set({ kind: 'x' }, 42);
    await a.flush();
    const later = await registries[2]!.collect();
    expect(gaugeValues(later, 'g_mostrecent')).toEqual({ [x]: 42 });
    expect(gaugeValues(later, 'g_livemostrecent')).toEqual({ [x]: 42 });
  });

  it('shares infos and state sets per process, combined consistently', async () => {
    const one = open('one', 'states', { gaugeModes: { phase: 'mostrecent', build: 'mostrecent' } });
    const two = open('two', 'states', { gaugeModes: { phase: 'mostrecent', build: 'mostrecent' } });
    const phases = [one, two].map(
      (registry) =>
        new StateSet('phase', 'Phase.', { registry, states: ['idle', 'busy', 'done'] as const }),
    );
    const builds = [one, two].map((registry) => new Info('build', 'Build.', { registry }));
    phases[0]!.set(undefined, 'busy');
    builds[0]!.set({ version: '1.0' });
    await one.flush();
    phases[1]!.set(undefined, 'done');
    builds[1]!.set({ version: '1.1' });
    await two.flush();
    const families = await one.collect();
    const phase = families.find((f) => f.name === 'phase')!;
    // The whole state set comes from the process that wrote last: exactly one state true.
    expect(phase.points.map((p) => [p.labels.phase, (p as { value: number }).value])).toEqual([
      ['busy', 0],
      ['done', 1],
      ['idle', 0],
    ]);
    const build = families.find((f) => f.name === 'build')!;
    expect(build.points.map((p) => p.labels)).toEqual([{ version: '1.1' }]);
  });

  it('rejects modes that make no sense for the metric kind', () => {
    const registry = open('x', 'bad', { gaugeModes: { st: 'sum' } });
    expect(() => new StateSet('st', 'S.', { registry, states: ['a'] as const })).toThrow(
      /gauge mode "sum"/,
    );
    // The failed registration leaves the name free.
    expect(registry.get('st')).toBeUndefined();
    expect(() => new Gauge('g', 'G.', { registry, labelNames: ['process'] as const })).toThrow(
      /process label/,
    );
  });
});

describe('gauge expiry of dead processes and removal on close', () => {
  let redis: RedisHandle;
  let reader: RedisRegistry;

  beforeAll(async () => {
    redis = await startRedis();
    reader = createRedisRegistry({
      redis: redis.url,
      prefix: 'expiry',
      processId: 'reader',
      gaugeTtlSeconds: 8,
      liveTimeoutSeconds: 1,
    });
  });
  afterAll(async () => {
    await reader?.close();
    await redis?.stop();
  });

  it('drops a SIGKILLed process from live modes, then from every mode once its gauges expire', async () => {
    const options = {
      redis: redis.url,
      prefix: 'expiry',
      gaugeTtlSeconds: 8,
      liveTimeoutSeconds: 1,
      gaugeModes: {
        busy_all: 'all',
        busy_liveall: 'liveall',
        busy_livesum: 'livesum',
        busy_sum: 'sum',
      },
    };
    const survivor = await startWorker({ ...options, processId: 'survivor' });
    const victim = await startWorker({ ...options, processId: 'victim' });
    try {
      for (const name of ['busy_all', 'busy_liveall', 'busy_livesum', 'busy_sum']) {
        await survivor.call('gauge', { name, value: 1 });
        await victim.call('gauge', { name, value: 10 });
      }
      await survivor.call('flush');
      await victim.call('flush');
      const before = await reader.collect();
      expect(gaugeValues(before, 'busy_sum')).toEqual({ '{}': 11 });
      expect(gaugeValues(before, 'busy_livesum')).toEqual({ '{}': 11 });

      await victim.kill('SIGKILL');
      // Live modes forget the victim once its heartbeat is older than liveTimeoutSeconds…
      const afterLive = await waitFor('the victim to leave the live modes', async () => {
        const families = await reader.collect();
        return gaugeValues(families, 'busy_livesum')['{}'] === 1 ? families : undefined;
      });
      expect(gaugeValues(afterLive, 'busy_liveall')).toEqual({ '{"process":"survivor"}': 1 });
      // …while the other modes still show its last values until its gauges expire.
      expect(gaugeValues(afterLive, 'busy_all')).toEqual({
        '{"process":"survivor"}': 1,
        '{"process":"victim"}': 10,
      });
      expect(gaugeValues(afterLive, 'busy_sum')).toEqual({ '{}': 11 });

      const expired = await waitFor('the victim gauges to expire', async () => {
        const families = await reader.collect();
        return gaugeValues(families, 'busy_sum')['{}'] === 1 ? families : undefined;
      });
      expect(gaugeValues(expired, 'busy_all')).toEqual({ '{"process":"survivor"}': 1 });
      // The expired process's hash is gone from Redis too, not only hidden.
      expect(await reader.client.exists('expiry:g:victim')).toBe(0);
    } finally {
      await survivor.kill();
      await victim.kill();
    }
  });

  it('removes the gauges of a cleanly closed process at once', async () => {
    const worker = await startWorker({
      redis: redis.url,
      prefix: 'expiry',
      processId: 'leaver',
      gaugeTtlSeconds: 600,
      liveTimeoutSeconds: 60,
    });
    await worker.call('gauge', { name: 'leaver_gauge', value: 5 });
    await worker.call('flush');
    expect(gaugeValues(await reader.collect(), 'leaver_gauge')).toEqual({
      '{"process":"leaver"}': 5,
    });
    await worker.call('close');
    // No waiting: the gauges were deleted by close(), long before their 600 s expiry.
    expect(gaugeValues(await reader.collect(), 'leaver_gauge')).toEqual({});
    expect(await reader.client.exists('expiry:g:leaver')).toBe(0);
    await worker.kill();
  });
});
