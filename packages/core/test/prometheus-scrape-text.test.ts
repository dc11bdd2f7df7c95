import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCanonical } from '../src/exposition/openmetrics';
import { render } from '../src/exposition/render';
import type { MetricFamily } from '../src/model';
import { richFamilies, TRICKY_LABELS } from './exposition-fixtures';

// One real Prometheus scrapes one server three times: job "text" is always answered in
// text 0.0.4 whatever it asks, job "negotiated" gets what its Accept header negotiates
// (OpenMetrics, without _created samples by default), job "created" the same with
// `openMetricsCreated: true`.
// A local starter rather than @promkit/testkit's startPrometheus: testkit depends on
// @promkit/core, so core depending on it would make the workspace graph cyclic.

const PROMETHEUS = '/usr/bin/prometheus';
const DEADLINE_MS = 20_000;
const POLL_MS = 250;

/** What the scrape serves: the rich page plus names each format spells differently. */
function servedFamilies(): MetricFamily[] {
  return [
    ...richFamilies(),
    {
      name: 'promkit_requests_total_counter',
      help: 'A counter named the aioprometheus way, without a _total suffix.',
      type: 'counter',
      points: [{ labels: { path: '/users/:id' }, value: 5, created: 1_700_000_000 }],
    },
    { name: 'promkit_no_help', help: '', type: 'gauge', points: [{ labels: {}, value: 7 }] },
  ];
}

interface Exchange {
  accept: string | undefined;
  contentType: string;
}

const exchanges = new Map<string, Exchange>();
let server: Server;
let prometheus: PrometheusProcess;

beforeAll(async () => {
  const source = { collect: () => servedFamilies() };
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path !== '/text' && path !== '/metrics' && path !== '/created') {
      res.writeHead(404).end();
      return;
    }
    const accept = path === '/text' ? 'text/plain; version=0.0.4' : req.headers.accept;
    render(source, accept, { openMetricsCreated: path === '/created' }).then(
      ({ body, contentType }) => {
        exchanges.set(path, { accept: req.headers.accept, contentType });
        res.writeHead(200, { 'Content-Type': contentType }).end(body);
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no server port');
  prometheus = await startPrometheus(address.port);
});

afterAll(async () => {
  await prometheus?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

describe('a real Prometheus 2.42 scrape', () => {
  it.each([
    ['text', 'text' as const, 'text/plain; version=0.0.4; charset=utf-8'],
    [
      'negotiated',
      'openmetrics' as const,
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    ],
    [
      'created',
      'openmetrics' as const,
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    ],
  ])('job %s: reads back every served value (%s)', async (job, format, contentType) => {
    const expected = expectedSeries(servedFamilies(), format, job === 'created');
    // _created series exist in storage only when asked for.
    expect([...expected.keys()].some((key) => key.includes('_created{'))).toBe(job === 'created');
    const seen = await waitFor(
      () => queryAll(`{job="${job}",__name__=~"promkit_.+"}`),
      (result) => result.size >= expected.size,
    );
    expect([...seen.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, value] of expected) {
      expect(
        sameNumber(seen.get(key)!, value),
        `${key}: read ${seen.get(key)}, served ${value}`,
      ).toBe(true);
    }

    const exchange = exchanges.get(job === 'negotiated' ? '/metrics' : `/${job}`);
    expect(exchange?.contentType).toBe(contentType);
    expect(exchange?.accept).toMatch(/^application\/openmetrics-text;version=1\.0\.0,/);

    const targets = await apiData<{
      activeTargets: { labels: { job: string }; health: string; lastError: string }[];
    }>('/api/v1/targets?state=active');
    const target = targets.activeTargets.find((t) => t.labels.job === job);
    expect(target).toMatchObject({ health: 'up', lastError: '' });
  });

  it('keeps label values with quote, backslash, newline and unicode intact', async () => {
    const result = await waitFor(
      () => queryAll('promkit_tricky_labels'),
      (r) => r.size === 6,
    );
    const values = [...result.keys()].map(
      (key) => JSON.parse(key.slice(key.indexOf('{'))) as Record<string, string>,
    );
    for (const job of ['text', 'negotiated', 'created']) {
      expect(values).toContainEqual({ job, instance: expect.any(String), ...TRICKY_LABELS });
    }
  });

  it('keeps HELP, types and units as each format states them', async () => {
    const text = await targetMetadata('text');
    const negotiated = await targetMetadata('negotiated');
    expect(text.promkit_tricky_labels).toEqual({
      type: 'gauge',
      help: 'Escaping: backslash \\ and newline\nin HELP.',
      unit: '',
    });
    expect(negotiated.promkit_tricky_labels).toEqual(text.promkit_tricky_labels);
    expect(text.promkit_requests_total?.type).toBe('counter');
    expect(negotiated.promkit_requests?.type).toBe('counter');
    expect(text.promkit_build_info?.type).toBe('gauge');
    expect(negotiated.promkit_build?.type).toBe('info');
    expect(negotiated.promkit_service_state?.type).toBe('stateset');
    expect(negotiated.promkit_request_duration_seconds).toMatchObject({
      type: 'histogram',
      unit: 'seconds',
    });
    expect(text.promkit_no_help).toEqual({ type: 'gauge', help: '', unit: '' });
    expect(negotiated.promkit_no_help?.type).toBe('gauge');
  });

  it('stores the OpenMetrics exemplars', async () => {
    const params = `start=1699999000&end=${Math.ceil(Date.now() / 1000) + 60}`;
    const counter = await waitFor(
      () =>
        apiData<
          { exemplars: { labels: Record<string, string>; value: string; timestamp: number }[] }[]
        >(
          `/api/v1/query_exemplars?query=${encodeURIComponent('promkit_requests_total{job="negotiated"}')}&${params}`,
        ),
      (r) => r.length > 0,
    );
    expect(counter[0]!.exemplars).toContainEqual({
      labels: { trace_id: 'KOO5S4vxi0o' },
      value: '1',
      timestamp: 1_700_000_100.25,
    });
    const buckets = await apiData<
      {
        seriesLabels: Record<string, string>;
        exemplars: { labels: Record<string, string>; value: string }[];
      }[]
    >(
      `/api/v1/query_exemplars?query=${encodeURIComponent('promkit_request_duration_seconds_bucket{job="negotiated"}')}&${params}`,
    );
    const byLe = new Map(
      buckets.map((b) => [
        b.seriesLabels.le,
        b.exemplars.map((e) => ({ labels: e.labels, value: e.value })),
      ]),
    );
    expect(byLe.get('0.1')).toContainEqual({ labels: { trace_id: 'oHg5SJYRHA0' }, value: '0.05' });
    expect(byLe.get('10.0')).toContainEqual({ labels: {}, value: '9.8' });
  });
});

// ---------------------------------------------------------------------------
// What each format should make Prometheus store, derived from the families.

/** Prometheus' identity of a series: an empty label value is the same as no label. */
function seriesKey(name: string, labels: Record<string, string>): string {
  const present = Object.entries(labels).filter(([, value]) => value !== '');
  const sorted = Object.fromEntries(present.sort(([a], [b]) => (a < b ? -1 : 1)));
  return `${name}${JSON.stringify(sorted)}`;
}

function expectedSeries(
  families: MetricFamily[],
  format: 'text' | 'openmetrics',
  withCreated: boolean,
): Map<string, number> {
  const om = format === 'openmetrics';
  const created = om && withCreated;
  const bound = (b: number): string => (om ? formatCanonical(b) : `${b}`);
  const out = new Map<string, number>();
  const add = (name: string, labels: Record<string, string>, value: number): void => {
    out.set(seriesKey(name, labels), value);
  };
  for (const family of families) {
    const name = family.name;
    switch (family.type) {
      case 'counter': {
        const base = om ? name.replace(/_total$/, '') : name;
        for (const p of family.points) {
          add(om ? `${base}_total` : base, p.labels, p.value);
          if (created && p.created !== undefined) add(`${base}_created`, p.labels, p.created);
        }
        break;
      }
      case 'gauge':
      case 'untyped':
      case 'stateset':
        for (const p of family.points) add(name, p.labels, p.value);
        break;
      case 'info':
        for (const p of family.points)
          add(name.endsWith('_info') ? name : `${name}_info`, p.labels, 1);
        break;
      case 'histogram':
        for (const p of family.points) {
          let cumulative = 0;
          for (let i = 0; i < p.value.bounds.length; i++) {
            cumulative += p.value.counts[i]!;
            add(`${name}_bucket`, { ...p.labels, le: bound(p.value.bounds[i]!) }, cumulative);
          }
          add(`${name}_bucket`, { ...p.labels, le: '+Inf' }, p.value.count);
          add(`${name}_sum`, p.labels, p.value.sum);
          add(`${name}_count`, p.labels, p.value.count);
          if (created && p.created !== undefined) add(`${name}_created`, p.labels, p.created);
        }
        break;
      case 'summary':
        for (const p of family.points) {
          for (const q of p.value.quantiles)
            add(name, { ...p.labels, quantile: bound(q.quantile) }, q.value);
          add(`${name}_sum`, p.labels, p.value.sum);
          add(`${name}_count`, p.labels, p.value.count);
          if (created && p.created !== undefined) add(`${name}_created`, p.labels, p.created);
        }
        break;
    }
  }
  return out;
}

/** The API spells values as Go does: `+Inf`, `-Inf`, `NaN`, plain decimals. */
function parsePromValue(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

// ---------------------------------------------------------------------------
// Prometheus HTTP API.

async function apiData<T>(path: string): Promise<T> {
  const response = await fetch(`${prometheus.url}${path}`);
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== 'success') throw new Error(`${path}: ${body.error}`);
  return body.data;
}

/** Series key (name + labels without job/instance) → value, for one job; or all labels. */
async function queryAll(promql: string): Promise<Map<string, number>> {
  const data = await apiData<{
    result: { metric: Record<string, string>; value: [number, string] }[];
  }>(`/api/v1/query?query=${encodeURIComponent(promql)}`);
  const out = new Map<string, number>();
  const keepJob = !promql.includes('job=');
  for (const { metric, value } of data.result) {
    const { __name__: name, job, instance, ...labels } = metric;
    const all = keepJob ? { ...labels, job: job!, instance: instance! } : labels;
    out.set(seriesKey(name!, all), parsePromValue(value[1]));
  }
  return out;
}

async function targetMetadata(
  job: string,
): Promise<Record<string, { type: string; help: string; unit: string }>> {
  const rows = await waitFor(
    () =>
      apiData<{ metric: string; type: string; help: string; unit: string }[]>(
        `/api/v1/targets/metadata?match_target=${encodeURIComponent(`{job="${job}"}`)}`,
      ),
    (r) => r.length > 0,
  );
  return Object.fromEntries(
    rows.map(({ metric, type, help, unit }) => [metric, { type, help, unit }]),
  );
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const targets = await apiData('/api/v1/targets').catch(String);
      throw new Error(
        `Prometheus did not get there in ${DEADLINE_MS} ms; last ${JSON.stringify(last, mapReplacer)}, ` +
          `error ${String(lastError)}, targets ${JSON.stringify(targets)}, log:\n${prometheus.log()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function mapReplacer(_key: string, value: unknown): unknown {
  return value instanceof Map ? Object.fromEntries(value) : value;
}

// ---------------------------------------------------------------------------
// A minimal Prometheus starter.

interface PrometheusProcess {
  url: string;
  log(): string;
  stop(): Promise<void>;
}

async function startPrometheus(targetPort: number): Promise<PrometheusProcess> {
  if (!existsSync(PROMETHEUS))
    throw new Error(`${PROMETHEUS} is missing: apt-get install prometheus`);
  const dir = await mkdtemp(join(tmpdir(), 'promkit-scrape-'));
  const target = `['127.0.0.1:${targetPort}']`;
  await writeFile(
    join(dir, 'prometheus.yml'),
    [
      'global: {scrape_interval: 1s, evaluation_interval: 1s}',
      'scrape_configs:',
      `  - {job_name: text, metrics_path: /text, static_configs: [{targets: ${target}}]}`,
      `  - {job_name: negotiated, metrics_path: /metrics, static_configs: [{targets: ${target}}]}`,
      `  - {job_name: created, metrics_path: /created, static_configs: [{targets: ${target}}]}`,
      '',
    ].join('\n'),
  );
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    let log = '';
    const child = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--enable-feature=exemplar-storage',
      ],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const append = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    const url = `http://127.0.0.1:${port}`;
    const handle: PrometheusProcess = {
      url,
      log: () => log,
      async stop() {
        await stopChild(child);
        await rm(dir, { recursive: true, force: true });
      },
    };
    try {
      await waitReady(child, `${url}/-/ready`);
      return handle;
    } catch (error) {
      lastError = new Error(`${String(error)}\n${log}`);
      await stopChild(child);
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function waitReady(child: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('prometheus exited');
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('prometheus not ready within 10 s');
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
