import { fork } from 'node:child_process';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Counter, Registry } from '@promkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createWorkerAggregator, type WorkerAggregator } from '../src/index';
import { FIXTURE_DIST } from './global-setup';

const THREAD_SCRIPT = join(FIXTURE_DIST, 'thread-worker.js');
const CHILD_SCRIPT = join(FIXTURE_DIST, 'cluster-worker.js');

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startThread(count: number, silent = false): Promise<Worker> {
  const worker = new Worker(THREAD_SCRIPT, { workerData: { count, silent } });
  cleanups.push(() => worker.terminate());
  await new Promise<void>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') resolve();
    });
  });
  return worker;
}

function value(
  families: Awaited<ReturnType<WorkerAggregator['collect']>>,
  name: string,
  outcome?: string,
) {
  const family = families.find((f) => f.name === name);
  const point = family?.points.find((p) => outcome === undefined || p.labels.outcome === outcome);
  return (point as unknown as { value?: number } | undefined)?.value;
}

describe('worker_threads aggregation', () => {
  it('sums the counters of real worker threads and the main thread', async () => {
    const main = new Registry();
    new Counter('thread_jobs_total', 'Jobs done.', { registry: main }).inc(1);
    const aggregator = createWorkerAggregator({ registry: main, timeoutMs: 10_000 });
    cleanups.push(() => aggregator.close());
    for (const count of [10, 20, 30]) aggregator.add(await startThread(count));
    const families = await aggregator.collect();
    expect(value(families, 'thread_jobs_total')).toBe(61);
    expect(value(families, 'promkit_aggregated_workers', 'answered')).toBe(3);
    // Threads leave out process-wide metrics, so nothing is counted once per thread.
    expect(families.some((f) => f.name.startsWith('process_'))).toBe(false);
    expect(value(families, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
  });

  it('labels each thread in "all" mode', async () => {
    const aggregator = createWorkerAggregator({
      timeoutMs: 10_000,
      aggregation: { thread_jobs_total: 'all' },
    });
    cleanups.push(() => aggregator.close());
    const a = await startThread(4);
    const b = await startThread(5);
    aggregator.add(a, 'a');
    aggregator.add(b, 'b');
    const families = await aggregator.collect();
    const points = families.find((f) => f.name === 'thread_jobs_total')!.points;
    expect(points.map((p) => [p.labels.worker, (p as unknown as { value: number }).value])).toEqual(
      [
        ['a', 4],
        ['b', 5],
      ],
    );
  });

  it('answers within the timeout when a thread stays silent', async () => {
    const errors: Error[] = [];
    const aggregator = createWorkerAggregator({ timeoutMs: 300, onError: (e) => errors.push(e) });
    cleanups.push(() => aggregator.close());
    aggregator.add(await startThread(7));
    aggregator.add(await startThread(100, true), 'quiet');
    const families = await aggregator.collect();
    expect(value(families, 'thread_jobs_total')).toBe(7);
    expect(value(families, 'promkit_aggregated_workers', 'timed_out')).toBe(1);
    expect(errors[0]?.message).toContain('worker(s) quiet did not answer within 300 ms');
  });

  it('drops a thread once it exits', async () => {
    const aggregator = createWorkerAggregator({ timeoutMs: 10_000 });
    cleanups.push(() => aggregator.close());
    const worker = await startThread(3);
    aggregator.add(worker);
    aggregator.add(await startThread(4));
    await worker.terminate();
    const families = await aggregator.collect();
    expect(value(families, 'thread_jobs_total')).toBe(4);
    expect(value(families, 'promkit_aggregated_workers', 'answered')).toBe(1);
  });

  it('aggregates forked child processes that call exposeToCluster', async () => {
    const aggregator = createWorkerAggregator({ timeoutMs: 10_000 });
    cleanups.push(() => aggregator.close());
    for (const count of [2, 3]) {
      const child = fork(CHILD_SCRIPT, {
        env: { ...process.env, MODE: 'count', COUNT: String(count) },
      });
      cleanups.push(
        () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill();
          }),
      );
      await new Promise<void>((resolve) =>
        child.on('message', (m: { type?: string }) => m?.type === 'ready' && resolve()),
      );
      aggregator.add(child);
    }
    const families = await aggregator.collect();
    const requests = families.find((f) => f.name === 'app_requests_total');
    expect(requests?.points).toHaveLength(1);
    expect((requests!.points[0] as unknown as { value: number }).value).toBe(5);
  });
});
