import cluster, { type Worker } from 'node:cluster';
import { join } from 'node:path';
import { freePort } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterAggregator, type MetricsAggregator, Service } from '../src/index';
import { FIXTURE_DIST } from './global-setup';
import { rawRequest } from './helpers/http-request';
import { parseSamples } from './helpers/parse-text';

const WORKER_SCRIPT = join(FIXTURE_DIST, 'cluster-worker.js');
const REQUESTS = 60;

function fork(env: Record<string, string>): Promise<Worker> {
  const worker = cluster.fork(env);
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
    worker.on('message', (message: { type?: string }) => {
      if (message?.type === 'ready') resolve(worker);
    });
  });
}

function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.kill();
  });
}

async function scrape(service: Service): Promise<{ page: string; samples: Map<string, number> }> {
  const res = await rawRequest(service.metricsUrl);
  expect(res.status).toBe(200);
  const page = res.body.toString();
  return { page, samples: parseSamples(page) };
}

describe('cluster aggregation with real forked workers', () => {
  const workers: Worker[] = [];
  let port: number;

  beforeAll(async () => {
    cluster.setupPrimary({ exec: WORKER_SCRIPT, silent: false });
    port = await freePort();
    for (let i = 0; i < 3; i++) workers.push(await fork({ MODE: 'serve', PORT: String(port) }));
  });
  afterAll(async () => {
    await Promise.all(workers.map(stopWorker));
  });

  it('sums a counter across workers to the number of requests sent', async () => {
    for (let i = 0; i < REQUESTS; i++) {
      const res = await rawRequest(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
    }
    const aggregator = createClusterAggregator({ timeoutMs: 10_000 });
    const service = new Service({ registry: aggregator });
    await service.start({ host: '127.0.0.1' });
    try {
      const { samples } = await scrape(service);
      expect(samples.get('app_requests_total{route="/"}')).toBe(REQUESTS);
      expect(samples.get('app_latency_seconds_count')).toBe(REQUESTS);
      expect(samples.get('app_latency_seconds_bucket{le="0.1"}')).toBe(REQUESTS);
      expect(samples.get('app_latency_seconds_sum')).toBeCloseTo(REQUESTS * 0.05, 9);
      // Summaries: count and sum add up, quantiles are dropped.
      expect(samples.get('app_size_bytes_count')).toBe(REQUESTS);
      expect(samples.get('app_size_bytes_sum')).toBe(REQUESTS * 100);
      expect([...samples.keys()].some((k) => k.startsWith('app_size_bytes{quantile'))).toBe(false);
      expect(samples.get('promkit_aggregated_workers{outcome="answered"}')).toBe(3);
      expect(samples.get('promkit_aggregated_workers{outcome="timed_out"}')).toBe(0);
      // A worker's setAggregation hint travels with its snapshot.
      const pids = workers.map((w) => w.process.pid!);
      expect(samples.get('app_worker_pid')).toBe(Math.max(...pids));
      // Runtime metrics: hints from collectDefaultMetrics apply.
      expect(
        samples.get(
          `nodejs_version_info{version="${process.version}",major="${process.versions.node.split('.')[0]}",minor="${process.versions.node.split('.')[1]}",patch="${process.versions.node.split('.')[2]}"}`,
        ),
      ).toBe(1);
      expect(samples.get('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    } finally {
      await service.stop();
      aggregator.close();
    }
  });

  it('keeps per-worker series with a worker label in "all" mode', async () => {
    const aggregator = createClusterAggregator({
      timeoutMs: 10_000,
      aggregation: { app_requests_total: 'all' },
    });
    try {
      const families = await aggregator.collect();
      const requests = families.find((f) => f.name === 'app_requests_total')!;
      const ids = requests.points.map((p) => p.labels.worker).sort();
      const expected = workers.map((w) => String(w.id)).sort();
      // Round-robin spreads the connections, so more than one worker served requests.
      expect(ids.length).toBeGreaterThan(1);
      for (const id of ids) expect(expected).toContain(id);
      const total = requests.points.reduce(
        (sum, p) => sum + (p as unknown as { value: number }).value,
        0,
      );
      expect(total).toBe(REQUESTS);
    } finally {
      aggregator.close();
    }
  });

  it('serves the answering workers when one never answers, within the timeout', async () => {
    const silent = await fork({ MODE: 'silent' });
    const errors: Error[] = [];
    const aggregator = createClusterAggregator({ timeoutMs: 500, onError: (e) => errors.push(e) });
    const service = new Service({ registry: aggregator });
    await service.start({ host: '127.0.0.1' });
    try {
      const { samples } = await scrape(service);
      expect(samples.get('app_requests_total{route="/"}')).toBe(REQUESTS);
      expect(samples.get('promkit_aggregated_workers{outcome="answered"}')).toBe(3);
      expect(samples.get('promkit_aggregated_workers{outcome="timed_out"}')).toBe(1);
      expect(errors.map((e) => e.message).join('\n')).toContain(
        `worker(s) ${silent.id} did not answer within 500 ms`,
      );
    } finally {
      await service.stop();
      aggregator.close();
      await stopWorker(silent);
    }
  });

  it('does not wait for a worker that exits while the primary waits', async () => {
    const silent = await fork({ MODE: 'silent' });
    const errors: Error[] = [];
    // A timeout far beyond the test's: only the exit can end the wait for the silent one.
    const aggregator = createClusterAggregator({
      timeoutMs: 120_000,
      onError: (e) => errors.push(e),
    });
    try {
      const pending = aggregator.collect();
      await stopWorker(silent);
      const families = await pending;
      const outcome = families.find((f) => f.name === 'promkit_aggregated_workers')!;
      const failed = outcome.points.find((p) => p.labels.outcome === 'failed') as unknown as {
        value: number;
      };
      expect(failed.value).toBe(1);
      expect(errors.map((e) => e.message).join('\n')).toContain(`worker ${silent.id} exited`);
    } finally {
      aggregator.close();
    }
  });

  it('merges the primary registry in as worker "primary" when given one', async () => {
    const { Registry, Counter } = await import('@promkit/core');
    const own = new Registry();
    new Counter('app_requests_total', 'Requests served.', {
      registry: own,
      labelNames: ['route'] as const,
    }).inc({ route: '/' }, 1000);
    const aggregator = createClusterAggregator({ timeoutMs: 10_000, registry: own });
    try {
      const families = await aggregator.collect();
      const requests = families.find((f) => f.name === 'app_requests_total')!;
      expect((requests.points[0] as unknown as { value: number }).value).toBe(REQUESTS + 1000);
    } finally {
      aggregator.close();
    }
  });
});

describe('createClusterAggregator without workers', () => {
  it('is usable with zero workers: just the health family', async () => {
    const aggregator: MetricsAggregator = createClusterAggregator({ timeoutMs: 100 });
    try {
      const families = await aggregator.collect();
      expect(families.map((f) => f.name)).toEqual(['promkit_aggregated_workers']);
    } finally {
      aggregator.close();
    }
  });
});
