// A bounded soak: label sets churn (per-tenant, per-job) under ttlSeconds, every format is
// scraped (whole and streamed) while faults are injected, and memory after a full GC must
// stay flat. bench/soak.ts runs the same loop for longer.
import { collectEscapedErrors } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import { render, renderStream } from '../src/exposition/render';
import { createHttpMetrics } from '../src/http/http-metrics';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import { Histogram } from '../src/metrics/histogram';
import { Registry } from '../src/registry';

const ACCEPTS = [
  'text/plain;version=0.0.4',
  'application/openmetrics-text;version=1.0.0',
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
];
const REQUESTS_PER_ROUND = 800;
const TENANTS_PER_ROUND = 200;
const WARM_UP_ROUNDS = 10;
const MEASURED_ROUNDS = 30;
/** Allowed growth of heap + ArrayBuffers after a full GC, over the measured rounds. */
const MAX_GROWTH_BYTES = 4 * 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;

function memoryAfterGc(): number {
  if (gc === undefined) throw new Error('the soak test needs node --expose-gc (vitest execArgv)');
  for (let i = 0; i < 3; i++) gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

function soakApp() {
  let seconds = 0;
  const clock = (): number => seconds;
  const registry = new Registry({ collectTimeoutMs: 50, onCollectError: () => {} });
  let call = 0;
  const http = createHttpMetrics<{ tenant: string }, { status: number }, 'tenant'>({
    registry,
    ttlSeconds: 3,
    clock,
    extraLabelNames: ['tenant'],
    labels: (req) => {
      call++;
      if (call % 97 === 0) throw new Error('labels bug');
      if (call % 89 === 0) return 42 as never;
      return { tenant: req.tenant };
    },
    normalizePath: (path) => {
      if (call % 101 === 0) throw new Error('np bug');
      return path.startsWith('/users/') ? '/users/:id' : undefined;
    },
    onError: () => {},
  });
  const jobs = new Counter('soak_jobs_total', 'Jobs.', {
    labelNames: ['job'] as const,
    registry,
    ttlSeconds: 3,
    clock,
  });
  const queue = new Gauge('soak_queue_depth', 'Queue.', {
    labelNames: ['queue'] as const,
    registry,
    ttlSeconds: 3,
    clock,
  });
  const latency = new Histogram('soak_latency_seconds', 'Latency.', {
    labelNames: ['job'] as const,
    registry,
    ttlSeconds: 3,
    clock,
  });
  registry.register({
    name: 'soak_throwing',
    collect() {
      throw new Error('collector bug');
    },
  });
  registry.register({ name: 'soak_hanging', collect: () => new Promise<never>(() => {}) });
  async function round(r: number): Promise<void> {
    for (let i = 0; i < REQUESTS_PER_ROUND; i++) {
      const tenant = `t${r}-${i % TENANTS_PER_ROUND}`;
      const t = http.start('GET', `/users/${i}?r=${r}`, { tenant }, { status: 200 });
      if (i % 13 === 0) t?.aborted();
      else t?.end(i % 17 === 0 ? 500 : 200);
      t?.end(200); // settled already: ignored
      const job = `job-${r}-${i % 50}`;
      jobs.inc({ job });
      latency.observe({ job }, i / 1000);
      queue.set({ queue: `q-${r % 7}-${i % 20}` }, i);
    }
    // A bound child kept across rounds: its series expires and comes back.
    jobs.labels({ job: 'long-lived' }).inc();
    seconds += 1;
    // Concurrent scrapes share one snapshot (and one wait for the hanging collector).
    await Promise.all(
      ACCEPTS.flatMap((accept) => [
        render(registry, accept).then((page) => expect(page.body.length).toBeGreaterThan(0)),
        renderStream(registry, accept).then(async (streamed) => {
          const reader = streamed.body.getReader();
          while (!(await reader.read()).done) {
            // drained
          }
        }),
      ]),
    );
  }
  return { round, registry, jobs };
}

describe('soak', () => {
  const escaped = collectEscapedErrors();

  it('keeps memory flat with churning label sets, ttlSeconds, faults and scrapes in every format', async () => {
    const app = soakApp();
    for (let r = 0; r < WARM_UP_ROUNDS; r++) await app.round(r);
    const before = memoryAfterGc();
    for (let r = WARM_UP_ROUNDS; r < WARM_UP_ROUNDS + MEASURED_ROUNDS; r++) await app.round(r);
    const after = memoryAfterGc();
    // Only the label sets of the last ttlSeconds are alive: 3-4 rounds of tenants.
    const families = await app.registry.collect();
    const requests = families.find((f) => f.name === 'http_requests_total')!;
    expect(requests.points.length).toBeLessThanOrEqual(4 * TENANTS_PER_ROUND + 10);
    expect(app.jobs.get({ job: 'long-lived' })).toBeGreaterThan(0);
    const errors = families.find((f) => f.name === 'promkit_instrumentation_errors_total')!;
    expect(errors.points.map((p) => p.labels.stage).sort()).toEqual(['labels', 'normalizePath']);
    expect(after - before).toBeLessThan(MAX_GROWTH_BYTES);
    expect(escaped).toEqual([]);
  }, 30_000);
});
