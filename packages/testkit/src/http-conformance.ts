// The behaviour every HTTP adapter must show, as one table of vitest cases run against a
// real server over HTTP. Structural types only: testkit must not depend on @promkit/core.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sleep } from './polling';

/** The part of a metric family snapshot the table reads. */
export interface ConformanceFamily {
  readonly name: string;
  readonly points: ReadonlyArray<{
    readonly labels: Readonly<Record<string, string>>;
    readonly value?: unknown;
  }>;
}

/** Anything that snapshots metric families: the registry the adapter records into. */
export interface ConformanceRegistry {
  collect(): Promise<readonly ConformanceFamily[]> | readonly ConformanceFamily[];
}

/** Middleware options the table varies; the adapter passes them through unchanged. */
export interface ConformanceMetricsOptions {
  readonly groupStatusCodes?: boolean;
  readonly excludePaths?: ReadonlyArray<string | RegExp>;
  readonly constLabels?: Readonly<Record<string, string>>;
}

/** Route behaviour shared by every adapter's test app, controlled by the table. */
export interface ConformanceFixtures {
  /** The body of `/stream`: chunks over ~300 ms; the last one waits until the test releases it. */
  streamBody(): AsyncGenerator<string>;
  /** What `/slow` awaits before it answers: the test decides when. */
  slow(): Promise<void>;
  /** The framework's own error handler calls this with every error it handles. */
  onFrameworkError(error: unknown): void;
}

export interface ConformanceAppOptions<R extends ConformanceRegistry> {
  /** Reuse this registry (re-creating an app); without it, make a fresh one. */
  readonly registry?: R;
  readonly metrics: ConformanceMetricsOptions;
  readonly fixtures: ConformanceFixtures;
}

export interface ConformanceApp<R extends ConformanceRegistry> {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly baseUrl: string;
  readonly registry: R;
  close(): Promise<void>;
}

/**
 * Builds a real app listening on 127.0.0.1:0 with the adapter's middleware first and:
 * `GET /users/:id`; a nested router serving `GET /api/v1/items/:id`; `GET /boom`, which
 * throws an `Error('boom')`; `GET /stream`, streaming `fixtures.streamBody()`; `GET /slow`,
 * answering after `await fixtures.slow()`; `GET /metrics` served by the adapter's handler.
 * Errors go to the framework's own error handling, which calls `fixtures.onFrameworkError`
 * and answers 500.
 */
export type ConformanceFactory<R extends ConformanceRegistry> = (
  options: ConformanceAppOptions<R>,
) => Promise<ConformanceApp<R>>;

const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
const STREAM_CHUNKS = 5;
const STREAM_CHUNK_GAP_MS = 60;

class Gate {
  released = false;
  readonly promise: Promise<void>;
  private open!: () => void;
  constructor() {
    this.promise = new Promise((resolve) => {
      this.open = resolve;
    });
  }
  release(): void {
    this.released = true;
    this.open();
  }
}

/** Per-app fixture state: the gates the cases open and what the error handler saw. */
class Fixtures implements ConformanceFixtures {
  streamGate = new Gate();
  slowGate = new Gate();
  slowEntered = new Gate();
  slowAnswered = new Gate();
  enteredAt = 0;
  readonly frameworkErrors: unknown[] = [];

  async *streamBody(): AsyncGenerator<string> {
    for (let i = 0; i < STREAM_CHUNKS; i++) {
      yield `chunk ${i}\n`;
      await sleep(STREAM_CHUNK_GAP_MS);
    }
    await this.streamGate.promise;
    yield 'last\n';
  }

  async slow(): Promise<void> {
    this.enteredAt = performance.now();
    this.slowEntered.release();
    await this.slowGate.promise;
    // Answered on the next turn, once the handler has written its response.
    setTimeout(() => this.slowAnswered.release(), 50);
  }

  onFrameworkError(error: unknown): void {
    this.frameworkErrors.push(error);
  }
}

/** The value of one series: a counter's or gauge's number, a histogram's count. */
async function sample(
  registry: ConformanceRegistry,
  name: string,
  labels: Readonly<Record<string, string>>,
): Promise<number | undefined> {
  const family = (await registry.collect()).find((f) => f.name === name);
  const point = family?.points.find((p) =>
    Object.entries(labels).every(([k, v]) => p.labels[k] === v),
  );
  if (point === undefined) return undefined;
  const value = point.value;
  if (typeof value === 'number') return value;
  return (value as { count: number }).count;
}

async function histogramSum(
  registry: ConformanceRegistry,
  labels: Readonly<Record<string, string>>,
): Promise<number | undefined> {
  const family = (await registry.collect()).find((f) => f.name === 'http_request_duration_seconds');
  const point = family?.points.find((p) =>
    Object.entries(labels).every(([k, v]) => p.labels[k] === v),
  );
  return (point?.value as { sum: number } | undefined)?.sum;
}

/** Every `path` label value the registry holds. */
async function pathLabels(registry: ConformanceRegistry): Promise<Set<string>> {
  const paths = new Set<string>();
  for (const family of await registry.collect()) {
    for (const point of family.points) {
      const path = point.labels.path;
      if (path !== undefined) paths.add(path);
    }
  }
  return paths;
}

async function get(url: string, init?: RequestInit): Promise<Response> {
  const response = await fetch(url, init);
  await response.arrayBuffer();
  return response;
}

/** Sends `GET path` on a raw socket and closes it once `entered` resolves. */
async function abortAfter(baseUrl: string, path: string, entered: Promise<void>): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
  await entered;
  socket.destroy();
  return performance.now();
}

interface CaseContext<R extends ConformanceRegistry> {
  /** The app built with default options, shared by the cases that need nothing else. */
  readonly app: ConformanceApp<R>;
  readonly fixtures: Fixtures;
  readonly factory: ConformanceFactory<R>;
}

interface ConformanceCase {
  readonly name: string;
  run<R extends ConformanceRegistry>(ctx: CaseContext<R>): Promise<void>;
}

async function withApp<R extends ConformanceRegistry>(
  factory: ConformanceFactory<R>,
  metrics: ConformanceMetricsOptions,
  use: (app: ConformanceApp<R>, fixtures: Fixtures) => Promise<void>,
  registry?: R,
): Promise<void> {
  const fixtures = new Fixtures();
  const app = await factory({ metrics, fixtures, ...(registry === undefined ? {} : { registry }) });
  try {
    await use(app, fixtures);
  } finally {
    fixtures.streamGate.release();
    fixtures.slowGate.release();
    await app.close();
  }
}

/** The shared behaviour table: every adapter must pass every row. */
export const HTTP_CONFORMANCE_CASES: readonly ConformanceCase[] = [
  {
    name: 'labels a parameterised route with its template, never the raw URL',
    async run({ app }) {
      for (const id of ['41', '42', '43'])
        expect((await get(`${app.baseUrl}/users/${id}`)).status).toBe(200);
      const route = { method: 'GET', path: '/users/:id' };
      await eventually(async () => {
        expect(await sample(app.registry, 'http_requests_total', route)).toBe(3);
      });
      expect(await sample(app.registry, 'http_responses_total', route)).toBe(3);
      expect(
        await sample(app.registry, 'http_requests_by_status_total', {
          ...route,
          status_code: '200',
        }),
      ).toBe(3);
      expect(
        await sample(app.registry, 'http_request_duration_seconds', {
          ...route,
          status_code: '200',
        }),
      ).toBe(3);
      const paths = await pathLabels(app.registry);
      expect([...paths].filter((p) => /\/users\/\d/.test(p))).toEqual([]);
    },
  },
  {
    name: 'labels a route of a nested router with the full template, prefixes included',
    async run({ app }) {
      expect((await get(`${app.baseUrl}/api/v1/items/7`)).status).toBe(200);
      expect((await get(`${app.baseUrl}/api/v1/items/8?expand=all`)).status).toBe(200);
      const route = { method: 'GET', path: '/api/v1/items/:id' };
      await eventually(async () => {
        expect(await sample(app.registry, 'http_requests_total', route)).toBe(2);
      });
      const paths = await pathLabels(app.registry);
      expect([...paths].filter((p) => p.includes('items/') && p !== route.path)).toEqual([]);
    },
  },
  {
    name: 'gives every unmatched request one shared label, never the raw URL',
    async run({ app }) {
      const unmatched = { method: 'GET', path: '<unmatched>' };
      const before = (await sample(app.registry, 'http_requests_total', unmatched)) ?? 0;
      for (const path of ['/nope/123', '/wp-login.php?pwd=secret', '/.env', '/users']) {
        expect((await get(`${app.baseUrl}${path}`)).status).toBe(404);
      }
      await eventually(async () => {
        expect(await sample(app.registry, 'http_requests_total', unmatched)).toBe(before + 4);
      });
      expect(
        await sample(app.registry, 'http_requests_by_status_total', {
          ...unmatched,
          status_code: '404',
        }),
      ).toBe(before + 4);
      const raw = [...(await pathLabels(app.registry))].filter((p) =>
        /nope|wp-login|secret|\.env|^\/users$/.test(p),
      );
      expect(raw).toEqual([]);
    },
  },
  {
    name: 'counts a throwing handler once: exception, status 500, error handed to the framework',
    async run({ app, fixtures }) {
      const response = await get(`${app.baseUrl}/boom`);
      expect(response.status).toBe(500);
      expect(fixtures.frameworkErrors.map((e) => (e as Error).message)).toEqual(['boom']);
      const route = { method: 'GET', path: '/boom' };
      await eventually(async () => {
        expect(await sample(app.registry, 'http_requests_total', route)).toBe(1);
      });
      // One more round trip, so a late second recording would have happened by now.
      await get(`${app.baseUrl}/users/1`);
      expect(await sample(app.registry, 'http_exceptions_total', route)).toBe(1);
      expect(await sample(app.registry, 'http_requests_total', route)).toBe(1);
      expect(await sample(app.registry, 'http_responses_total', route)).toBe(1);
      expect(
        await sample(app.registry, 'http_requests_by_status_total', {
          ...route,
          status_code: '500',
        }),
      ).toBe(1);
      expect(
        await sample(app.registry, 'http_request_duration_seconds', {
          ...route,
          status_code: '500',
        }),
      ).toBe(1);
      expect(
        (await sample(app.registry, 'http_exceptions_total', {
          method: 'GET',
          path: '/users/:id',
        })) ?? 0,
      ).toBe(0);
    },
  },
  {
    name: 'records a client abort once, as 499, timed up to the abort',
    async run({ app, fixtures }) {
      const route = { method: 'GET', path: '/slow' };
      const aborted = { ...route, status_code: '499' };
      const closedAt = await abortAfter(app.baseUrl, '/slow', fixtures.slowEntered.promise);
      await eventually(async () => {
        expect(await sample(app.registry, 'http_requests_by_status_total', aborted)).toBe(1);
      });
      // Recorded while the handler is still waiting: the duration ends at the abort.
      expect(fixtures.slowGate.released).toBe(false);
      const sum = (await histogramSum(app.registry, aborted))!;
      expect(sum * 1000).toBeGreaterThanOrEqual(closedAt - fixtures.enteredAt - 1);
      fixtures.slowGate.release();
      await fixtures.slowAnswered.promise;
      await get(`${app.baseUrl}/users/1`);
      expect(await sample(app.registry, 'http_requests_total', route)).toBe(1);
      expect(await sample(app.registry, 'http_requests_by_status_total', aborted)).toBe(1);
      expect(await sample(app.registry, 'http_request_duration_seconds', aborted)).toBe(1);
      expect(
        await sample(app.registry, 'http_requests_by_status_total', {
          ...route,
          status_code: '200',
        }),
      ).toBeUndefined();
      expect((await sample(app.registry, 'http_responses_total', route)) ?? 0).toBe(0);
      expect(await sample(app.registry, 'http_requests_in_flight', {})).toBe(0);
    },
  },
  {
    name: 'times a streamed body to its last byte, not its first',
    async run({ app, fixtures }) {
      const done = { method: 'GET', path: '/stream', status_code: '200' };
      const response = await fetch(`${app.baseUrl}/stream`);
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value, { stream: true });
      const firstChunkAt = performance.now();
      expect(text.startsWith('chunk 0')).toBe(true);
      // Headers and the first bytes are out; the request is still in flight.
      expect(await sample(app.registry, 'http_request_duration_seconds', done)).toBeUndefined();
      expect(await sample(app.registry, 'http_requests_in_flight', {})).toBe(1);
      while (!text.includes(`chunk ${STREAM_CHUNKS - 1}`)) {
        const { value, done: ended } = await reader.read();
        expect(ended).toBe(false);
        text += decoder.decode(value, { stream: true });
      }
      expect(await sample(app.registry, 'http_request_duration_seconds', done)).toBeUndefined();
      const releasedAt = performance.now();
      fixtures.streamGate.release();
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text.endsWith('last\n')).toBe(true);
      await eventually(async () => {
        expect(await sample(app.registry, 'http_request_duration_seconds', done)).toBe(1);
      });
      const sum = (await histogramSum(app.registry, done))!;
      expect(sum * 1000).toBeGreaterThanOrEqual(releasedAt - firstChunkAt - 1);
    },
  },
  {
    name: 'does not count excluded paths or the metrics route',
    async run({ app }) {
      for (const path of ['/metrics', '/metrics?x=1', '/favicon.ico', '/docs', '/redoc']) {
        await get(`${app.baseUrl}${path}`);
      }
      await get(`${app.baseUrl}/users/1`);
      await eventually(async () => {
        const paths = await pathLabels(app.registry);
        expect(paths.has('/users/:id')).toBe(true);
      });
      const paths = await pathLabels(app.registry);
      for (const excluded of ['/metrics', '/favicon.ico', '/docs', '/redoc']) {
        expect(paths.has(excluded)).toBe(false);
      }
    },
  },
  {
    name: 'excludes by RegExp and by template, and never counts its own metrics route',
    async run({ factory }) {
      await withApp(factory, { excludePaths: ['/users/:id', /^\/api\//] }, async (app) => {
        await get(`${app.baseUrl}/users/1`);
        await get(`${app.baseUrl}/api/v1/items/1`);
        await get(`${app.baseUrl}/metrics`);
        await get(`${app.baseUrl}/nope`);
        await eventually(async () => {
          expect(await sample(app.registry, 'http_requests_total', { path: '<unmatched>' })).toBe(
            1,
          );
        });
        expect([...(await pathLabels(app.registry))]).toEqual(['<unmatched>']);
        expect(await sample(app.registry, 'http_requests_in_flight', {})).toBe(0);
      });
    },
  },
  {
    name: 'groups status codes and adds const labels when asked',
    async run({ factory }) {
      await withApp(
        factory,
        { groupStatusCodes: true, constLabels: { service: 'conformance' } },
        async (app) => {
          await get(`${app.baseUrl}/users/1`);
          await get(`${app.baseUrl}/nope`);
          await eventually(async () => {
            expect(
              await sample(app.registry, 'http_requests_by_status_total', {
                service: 'conformance',
                path: '<unmatched>',
                status_code: '4xx',
              }),
            ).toBe(1);
          });
          expect(
            await sample(app.registry, 'http_requests_by_status_total', {
              service: 'conformance',
              path: '/users/:id',
              status_code: '2xx',
            }),
          ).toBe(1);
          expect(
            await sample(app.registry, 'http_requests_by_status_total', { status_code: '200' }),
          ).toBeUndefined();
        },
      );
    },
  },
  {
    name: 'serves the registry with content negotiation and the right Content-Type',
    async run({ app }) {
      await get(`${app.baseUrl}/users/1`);
      await eventually(async () => {
        expect(
          await sample(app.registry, 'http_requests_total', { path: '/users/:id' }),
        ).toBeGreaterThan(0);
      });
      const text = await fetch(`${app.baseUrl}/metrics`);
      expect(text.status).toBe(200);
      expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await text.text()).toContain('http_requests_total{method="GET",path="/users/:id"}');
      const om = await fetch(`${app.baseUrl}/metrics`, {
        headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;q=0.5' },
      });
      expect(om.headers.get('content-type')).toBe(
        'application/openmetrics-text; version=1.0.0; charset=utf-8',
      );
      expect(await om.text()).toMatch(/# EOF\n$/);
      const pb = await fetch(`${app.baseUrl}/metrics`, { headers: { accept: PROTOBUF_ACCEPT } });
      expect(pb.headers.get('content-type')).toBe(
        'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
      );
      const bytes = new Uint8Array(await pb.arrayBuffer());
      expect(Buffer.from(bytes).includes('http_requests_total')).toBe(true);
    },
  },
  {
    name: 're-creates an app on the same registry without duplicate-registration errors',
    async run({ factory }) {
      let registry: ConformanceRegistry | undefined;
      await withApp(factory, {}, async (app) => {
        registry = app.registry;
        await get(`${app.baseUrl}/users/1`);
        await eventually(async () => {
          expect(await sample(app.registry, 'http_requests_total', { path: '/users/:id' })).toBe(1);
        });
      });
      await withApp(
        factory,
        {},
        async (app) => {
          expect(app.registry).toBe(registry);
          await get(`${app.baseUrl}/users/2`);
          await eventually(async () => {
            expect(await sample(app.registry, 'http_requests_total', { path: '/users/:id' })).toBe(
              2,
            );
          });
        },
        registry as never,
      );
    },
  },
];

/**
 * Registers the shared HTTP behaviour table for one adapter: each case runs against a
 * real server the factory builds, over HTTP on 127.0.0.1.
 *
 * @example
 * describeHttpConformance('@promkit/express', async ({ registry, metrics, fixtures }) => {
 *   // build an Express app with the routes ConformanceFactory lists, listen on port 0
 * });
 */
export function describeHttpConformance<R extends ConformanceRegistry>(
  adapter: string,
  factory: ConformanceFactory<R>,
): void {
  describe(`${adapter}: HTTP conformance`, () => {
    let app: ConformanceApp<R>;
    const fixtures = new Fixtures();
    beforeAll(async () => {
      app = await factory({ metrics: {}, fixtures });
    });
    afterAll(async () => {
      fixtures.streamGate.release();
      fixtures.slowGate.release();
      await app?.close();
    });
    for (const row of HTTP_CONFORMANCE_CASES) {
      it(row.name, () => row.run({ app, fixtures, factory }));
    }
  });
}
