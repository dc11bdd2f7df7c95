// Faults every HTTP adapter must contain, as one table of vitest cases run against a real
// server over HTTP: the app's response is unchanged and the process lives. Structural
// types only: testkit must not depend on @promkit/core.
import { describe, expect, it } from 'vitest';
import { collectEscapedErrors } from './escaped-errors';
import type { ConformanceFamily } from './http-conformance';
import { eventually, sleep } from './polling';

/** What the table registers custom collectors on and reads metrics from. */
export interface FaultRegistry {
  collect(): Promise<readonly ConformanceFamily[]> | readonly ConformanceFamily[];
  register(collector: { readonly name?: string; collect(): unknown }): void;
}

/** Middleware options the table varies; the adapter passes them through unchanged. */
export interface FaultMetricsOptions {
  readonly extraLabelNames?: readonly string[];
  /** Called with the adapter's own request objects; the table never reads them. */
  readonly labels?: (...args: never[]) => unknown;
  readonly normalizePath?: (path: string, matched: boolean) => unknown;
  readonly maxSeries?: number;
  readonly onError?: (error: Error, stage: string) => void;
}

export interface FaultAppOptions {
  readonly metrics: FaultMetricsOptions;
  /**
   * Build the app on a second installed copy of the framework (another version under an
   * alias), while the adapter resolves the framework from its own copy.
   */
  readonly secondCopy?: boolean;
}

export interface FaultApp<R extends FaultRegistry> {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly baseUrl: string;
  readonly registry: R;
  /**
   * `false` when the framework itself never runs the adapter's hook for a request whose
   * response was already sent (Fastify stops its hook chain then): such a request is not
   * recorded at all. Default true: it is recorded once.
   */
  readonly recordsLateResponses?: boolean;
  close(): Promise<void>;
}

/**
 * Builds a real app listening on 127.0.0.1:0 with a fresh registry made with
 * `{ collectTimeoutMs: 300 }` and routes, in this order:
 * - a middleware *before* the adapter's that answers `GET /late` itself (status 203, body
 *   `early`) and lets the request go on only once the response has closed;
 * - the adapter's middleware with `options.metrics`;
 * - `GET /ok/:id` answering 200 `ok <id>` with header `x-app: yes`;
 * - `GET /lookup-throws` answering 200 `lookup`, on which the adapter's route-template
 *   lookup throws (each adapter sabotages the framework internals it reads);
 * - `GET /close-twice` answering 200 `twice`, after which the Node response emits `close`
 *   twice more;
 * - `GET /metrics` served by the adapter's handler.
 */
export type FaultFactory<R extends FaultRegistry> = (
  options: FaultAppOptions,
) => Promise<FaultApp<R>>;

/** The sum of the values of `name`'s series whose labels include `labels`. */
async function total(
  registry: FaultRegistry,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number> {
  const family = (await registry.collect()).find((f) => f.name === name);
  let sum = 0;
  for (const point of family?.points ?? []) {
    if (!Object.entries(labels).every(([k, v]) => point.labels[k] === v)) continue;
    const value = point.value;
    sum += typeof value === 'number' ? value : (value as { count: number }).count;
  }
  return sum;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}

async function get(url: string): Promise<Answer> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text(), headers: response.headers };
}

/** Reported faults, by stage. */
class Reports {
  readonly stages: string[] = [];
  readonly onError = (error: Error, stage: string): void => {
    expect(error).toBeInstanceOf(Error);
    this.stages.push(stage);
  };
}

async function withApp<R extends FaultRegistry>(
  factory: FaultFactory<R>,
  options: FaultAppOptions,
  use: (app: FaultApp<R>) => Promise<void>,
): Promise<void> {
  const app = await factory(options);
  try {
    await use(app);
  } finally {
    await app.close();
  }
}

const ERRORS = 'promkit_instrumentation_errors_total';
const REQUESTS = 'http_requests_total';

interface FaultCase {
  readonly name: string;
  run<R extends FaultRegistry>(factory: FaultFactory<R>): Promise<void>;
}

/** The fault table: every adapter must pass every row. */
export const HTTP_FAULT_CASES: readonly FaultCase[] = [
  {
    name: 'a route lookup that throws: answered unchanged, recorded under <unknown>',
    async run(factory) {
      const reports = new Reports();
      await withApp(factory, { metrics: { onError: reports.onError } }, async (app) => {
        const answer = await get(`${app.baseUrl}/lookup-throws`);
        expect([answer.status, answer.body]).toEqual([200, 'lookup']);
        await eventually(async () => {
          expect(await total(app.registry, REQUESTS, { path: '<unknown>' })).toBe(1);
        });
        expect(await total(app.registry, ERRORS, { stage: 'route' })).toBe(1);
        expect(reports.stages).toEqual(['route']);
        const ok = await get(`${app.baseUrl}/ok/1`);
        expect([ok.status, ok.body]).toEqual([200, 'ok 1']);
      });
    },
  },
  {
    name: 'a labels hook that throws: answered unchanged, recorded with empty extra labels',
    async run(factory) {
      const reports = new Reports();
      const metrics: FaultMetricsOptions = {
        extraLabelNames: ['tenant'],
        labels: () => {
          throw new Error('labels bug');
        },
        onError: reports.onError,
      };
      await withApp(factory, { metrics }, async (app) => {
        const answer = await get(`${app.baseUrl}/ok/7`);
        expect([answer.status, answer.body, answer.headers.get('x-app')]).toEqual([
          200,
          'ok 7',
          'yes',
        ]);
        await eventually(async () => {
          expect(await total(app.registry, REQUESTS, { path: '/ok/:id', tenant: '' })).toBe(1);
        });
        expect(await total(app.registry, ERRORS, { stage: 'labels' })).toBe(1);
        expect(reports.stages).toEqual(['labels']);
      });
    },
  },
  {
    name: 'a labels hook that returns garbage: each fault counted, requests still recorded',
    async run(factory) {
      const garbage: unknown[] = [
        42,
        null,
        { tenant: { nested: true } },
        {
          get tenant(): string {
            throw new Error('getter bug');
          },
        },
        { tenant: Symbol('s') },
      ];
      let call = 0;
      const metrics: FaultMetricsOptions = {
        extraLabelNames: ['tenant'],
        labels: () => garbage[call++ % garbage.length],
        onError: () => {},
      };
      await withApp(factory, { metrics }, async (app) => {
        for (let i = 0; i < garbage.length; i++) {
          const answer = await get(`${app.baseUrl}/ok/${i}`);
          expect([answer.status, answer.body]).toEqual([200, `ok ${i}`]);
        }
        await eventually(async () => {
          expect(await total(app.registry, REQUESTS, { path: '/ok/:id', tenant: '' })).toBe(
            garbage.length,
          );
        });
        expect(await total(app.registry, ERRORS, { stage: 'labels' })).toBe(garbage.length);
      });
    },
  },
  {
    name: 'a normalizePath that throws: matched requests keep their template, others <unmatched>',
    async run(factory) {
      const reports = new Reports();
      const metrics: FaultMetricsOptions = {
        normalizePath: () => {
          throw new Error('np bug');
        },
        onError: reports.onError,
      };
      await withApp(factory, { metrics }, async (app) => {
        const answer = await get(`${app.baseUrl}/ok/3`);
        expect([answer.status, answer.body]).toEqual([200, 'ok 3']);
        expect((await get(`${app.baseUrl}/nope/4`)).status).toBe(404);
        await eventually(async () => {
          expect(await total(app.registry, REQUESTS, { path: '<unmatched>' })).toBe(1);
        });
        expect(await total(app.registry, REQUESTS, { path: '/ok/:id' })).toBe(1);
        expect(await total(app.registry, ERRORS, { stage: 'normalizePath' })).toBe(2);
        expect(reports.stages).toEqual(['normalizePath', 'normalizePath']);
      });
    },
  },
  {
    name: 'metrics at maxSeries: answered unchanged, the excess folds into the overflow series',
    async run(factory) {
      await withApp(factory, { metrics: { maxSeries: 1 } }, async (app) => {
        const answers = [
          await get(`${app.baseUrl}/ok/1`),
          await get(`${app.baseUrl}/lookup-throws`),
          await get(`${app.baseUrl}/close-twice`),
        ];
        expect(answers.map((a) => [a.status, a.body])).toEqual([
          [200, 'ok 1'],
          [200, 'lookup'],
          [200, 'twice'],
        ]);
        await eventually(async () => {
          expect(await total(app.registry, REQUESTS)).toBe(3);
        });
        expect(await total(app.registry, REQUESTS, { path: '__overflow__' })).toBe(2);
        expect(await total(app.registry, 'promkit_series_overflow_total')).toBeGreaterThan(0);
      });
    },
  },
  {
    name: 'the app built on a second copy of the framework: answered unchanged, recorded once',
    async run(factory) {
      await withApp(factory, { secondCopy: true, metrics: { onError: () => {} } }, async (app) => {
        for (const id of ['1', '2']) {
          const answer = await get(`${app.baseUrl}/ok/${id}`);
          expect([answer.status, answer.body, answer.headers.get('x-app')]).toEqual([
            200,
            `ok ${id}`,
            'yes',
          ]);
        }
        await eventually(async () => {
          expect(await total(app.registry, REQUESTS)).toBe(2);
        });
        // The template when the adapter can read it across copies, else the fault's label.
        const known = await total(app.registry, REQUESTS, { path: '/ok/:id' });
        const unknown = await total(app.registry, REQUESTS, { path: '<unknown>' });
        expect(known + unknown).toBe(2);
        expect(await total(app.registry, ERRORS, { stage: 'route' })).toBe(unknown);
      });
    },
  },
  {
    name: '`close` emitted twice more: answered unchanged, recorded once',
    async run(factory) {
      await withApp(factory, { metrics: {} }, async (app) => {
        const answer = await get(`${app.baseUrl}/close-twice`);
        expect([answer.status, answer.body]).toEqual([200, 'twice']);
        await eventually(async () => {
          expect(await total(app.registry, REQUESTS, { path: '/close-twice' })).toBe(1);
        });
        await get(`${app.baseUrl}/ok/1`);
        await sleep(50);
        expect(await total(app.registry, REQUESTS, { path: '/close-twice' })).toBe(1);
        expect(await total(app.registry, 'http_requests_in_flight')).toBe(0);
        expect(await total(app.registry, ERRORS)).toBe(0);
      });
    },
  },
  {
    name: 'a response that ended before the middleware ran: answered, recorded at most once, nothing left in flight',
    async run(factory) {
      await withApp(factory, { metrics: {} }, async (app) => {
        const answer = await get(`${app.baseUrl}/late`);
        expect([answer.status, answer.body]).toEqual([203, 'early']);
        const expected = app.recordsLateResponses === false ? 0 : 1;
        await eventually(async () => {
          expect(
            await total(app.registry, 'http_requests_by_status_total', { status_code: '203' }),
          ).toBe(expected);
          expect(await total(app.registry, 'http_requests_in_flight')).toBe(0);
        });
        const ok = await get(`${app.baseUrl}/ok/2`);
        expect([ok.status, ok.body]).toEqual([200, 'ok 2']);
        await eventually(async () => {
          expect(await total(app.registry, REQUESTS, { path: '/ok/:id' })).toBe(1);
        });
        expect(await total(app.registry, REQUESTS)).toBe(expected + 1);
      });
    },
  },
  {
    name: 'a custom collector that throws or hangs: the scrape answers with the rest, the app too',
    async run(factory) {
      await withApp(factory, { metrics: {} }, async (app) => {
        app.registry.register({
          name: 'throwing_collector',
          collect() {
            throw new Error('collector bug');
          },
        });
        app.registry.register({
          name: 'hanging_collector',
          collect: () => new Promise<never>(() => {}),
        });
        await get(`${app.baseUrl}/ok/1`);
        const scrape = fetch(`${app.baseUrl}/metrics`);
        // Requests keep being answered while the hanging collector is awaited.
        const ok = await get(`${app.baseUrl}/ok/2`);
        expect([ok.status, ok.body]).toEqual([200, 'ok 2']);
        const page = await scrape;
        expect(page.status).toBe(200);
        const text = await page.text();
        expect(text).toContain('http_requests_total{method="GET",path="/ok/:id"}');
        expect(text).toContain(
          'promkit_collector_failures_total{collector="throwing_collector"} 1',
        );
        expect(text).toContain('promkit_collector_failures_total{collector="hanging_collector"} 1');
      });
    },
  },
];

/**
 * Registers the fault table for one adapter. Every case builds its own app; a sentinel
 * on `uncaughtException` / `unhandledRejection` fails the table if anything escaped.
 *
 * @example
 * describeHttpFaults('@promkit/express', ({ metrics, secondCopy }) => buildFaultApp(…));
 */
export function describeHttpFaults<R extends FaultRegistry>(
  adapter: string,
  factory: FaultFactory<R>,
): void {
  describe(`${adapter}: HTTP faults`, () => {
    const escaped = collectEscapedErrors();
    for (const row of HTTP_FAULT_CASES) {
      it(row.name, async () => {
        await row.run(factory);
        // A listener's throw surfaces on a later turn: give it one.
        await sleep(20);
        expect(escaped).toEqual([]);
      });
    }
  });
}
