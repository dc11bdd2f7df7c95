// The runtime matrix: under Bun, Deno and workerd (two compatibility dates), core's encoders
// give Node's bytes and the Hono adapter passes the conformance table over real HTTP.
import { request } from 'node:http';
import { UNMATCHED_PATH } from '@promkit/core';
import { decodeProtobuf } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../../remote-write/test/receiver';
import { fixedEncodings, LONG_NAME } from '../fixtures/fixed-registry';
import { type RunningApp, startBun, startDeno, startWorkerd, type Workerd } from './runtimes';

const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
const OPENMETRICS_ACCEPT = 'application/openmetrics-text;version=1.0.0';
const WAIT_MS = 5000;

interface Snapshot {
  readonly runtime: string;
  readonly buffer: string;
  readonly names: Record<
    'requests' | 'responses' | 'exceptions' | 'statusCodes' | 'duration' | 'inFlight',
    string
  >;
  readonly families: ReadonlyArray<{
    name: string;
    points: ReadonlyArray<{ labels: Record<string, string>; value: number | { count: number } }>;
  }>;
}

let workerd: Promise<Workerd> | undefined;
const sharedWorkerd = (): Promise<Workerd> => {
  workerd ??= startWorkerd();
  return workerd;
};

const RUNTIMES: ReadonlyArray<{
  readonly name: string;
  readonly buffer: 'function' | 'undefined';
  readonly start: () => Promise<RunningApp>;
}> = [
  { name: 'bun', buffer: 'function', start: startBun },
  { name: 'deno', buffer: 'function', start: startDeno },
  {
    name: 'workerd, current compatibility date (Node compatibility on)',
    buffer: 'function',
    start: async () => (await sharedWorkerd()).current,
  },
  {
    name: 'workerd, old compatibility date (Node compatibility off)',
    buffer: 'undefined',
    start: async () => (await sharedWorkerd()).old,
  },
];

afterAll(async () => {
  if (workerd !== undefined) await (await workerd).stop();
});

describe.each(RUNTIMES)('$name', ({ buffer, start }) => {
  let app: RunningApp;
  const url = (path: string): string => `${app.baseUrl}${path}`;

  beforeAll(async () => {
    app = await start();
  });
  afterAll(async () => {
    await app?.stop();
  });

  async function snapshot(): Promise<Snapshot> {
    const response = await fetch(url('/__samples'));
    return (await response.json()) as Snapshot;
  }

  /** A counter's or gauge's value, a histogram's count; undefined when the series is absent. */
  function seriesValue(
    snap: Snapshot,
    family: string,
    labels: Record<string, string>,
  ): number | undefined {
    const point = snap.families
      .find((f) => f.name === family)
      ?.points.find((p) => Object.entries(labels).every(([k, v]) => p.labels[k] === v));
    if (point === undefined) return undefined;
    return typeof point.value === 'number' ? point.value : point.value.count;
  }

  /** Polls the snapshot until `check` passes (the runtime may record after the response). */
  async function eventually(check: (snap: Snapshot) => void): Promise<Snapshot> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const snap = await snapshot();
      try {
        check(snap);
        return snap;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('runs with the expected Node compatibility', async () => {
    expect((await snapshot()).buffer).toBe(buffer);
  });

  it("core's three encoders give the same bytes as on Node", async () => {
    const response = await fetch(url('/__encodings'));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(await fixedEncodings());
  });

  it('labels requests with the route template, nested routers included', async () => {
    expect((await fetch(url('/users/42'))).status).toBe(200);
    expect((await fetch(url('/api/v1/items/7'))).status).toBe(200);
    await eventually((snap) => {
      const { requests, statusCodes } = snap.names;
      expect(seriesValue(snap, requests, { method: 'GET', path: '/users/:id' })).toBe(1);
      expect(seriesValue(snap, requests, { method: 'GET', path: '/api/v1/items/:id' })).toBe(1);
      expect(
        seriesValue(snap, statusCodes, { method: 'GET', path: '/users/:id', status_code: '200' }),
      ).toBe(1);
    });
  });

  it('gives unmatched requests one constant path label', async () => {
    expect((await fetch(url('/no/such/page'))).status).toBe(404);
    await eventually((snap) => {
      expect(
        seriesValue(snap, snap.names.statusCodes, {
          method: 'GET',
          path: UNMATCHED_PATH,
          status_code: '404',
        }),
      ).toBe(1);
    });
  });

  it('counts an exception once, answered 500', async () => {
    expect((await fetch(url('/boom'))).status).toBe(500);
    await eventually((snap) => {
      const labels = { method: 'GET', path: '/boom' };
      expect(seriesValue(snap, snap.names.exceptions, labels)).toBe(1);
      expect(seriesValue(snap, snap.names.requests, labels)).toBe(1);
      expect(seriesValue(snap, snap.names.statusCodes, { ...labels, status_code: '500' })).toBe(1);
    });
  });

  it('serves the three formats, with names longer than 40 characters', async () => {
    const text = await fetch(url('/metrics'));
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    expect(await text.text()).toContain(`${LONG_NAME}_hits_total{route="/users/:id"} 1\n`);

    const om = await fetch(url('/metrics'), { headers: { accept: OPENMETRICS_ACCEPT } });
    expect(om.status).toBe(200);
    expect(om.headers.get('content-type')).toContain('application/openmetrics-text');
    const omBody = await om.text();
    expect(omBody).toContain(`${LONG_NAME}_hits_total{route="/users/:id"} 1\n`);
    expect(omBody.endsWith('# EOF\n')).toBe(true);

    const pb = await fetch(url('/metrics'), { headers: { accept: PROTOBUF_ACCEPT } });
    expect(pb.status).toBe(200);
    expect(pb.headers.get('content-type')).toContain('application/vnd.google.protobuf');
    const families = decodeProtobuf(new Uint8Array(await pb.arrayBuffer()));
    const hits = families.find((f) => f.name === `${LONG_NAME}_hits_total`);
    expect(hits?.metrics[0]?.value).toBe(1);
    const duration = families.find((f) => f.name === 'http_request_duration_seconds');
    expect(duration?.help.length).toBeGreaterThan(40);
  });

  it('leaves excluded paths unrecorded', async () => {
    expect((await fetch(url('/skip'))).status).toBe(200);
    const snap = await snapshot();
    const paths = new Set(
      snap.families.flatMap((f) => f.points.map((p) => p.labels.path).filter(Boolean)),
    );
    expect(paths.has('/skip')).toBe(false);
    expect(paths.has('/metrics')).toBe(false);
    expect(paths.has('/__samples')).toBe(false);
  });

  it('records HEAD, 204 and 304 once each, with the in-flight gauge back at 0', async () => {
    const head = await fetch(url('/users/1'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect((await fetch(url('/empty'))).status).toBe(204);
    expect((await fetch(url('/not-modified'))).status).toBe(304);
    const expected = [
      { method: 'HEAD', path: '/users/:id', status_code: '200' },
      { method: 'GET', path: '/empty', status_code: '204' },
      { method: 'GET', path: '/not-modified', status_code: '304' },
    ];
    const check = (snap: Snapshot): void => {
      const { requests, responses, statusCodes, duration, inFlight } = snap.names;
      for (const labels of expected) {
        const route = { method: labels.method, path: labels.path };
        expect(seriesValue(snap, statusCodes, labels), JSON.stringify(labels)).toBe(1);
        expect(seriesValue(snap, duration, labels), JSON.stringify(labels)).toBe(1);
        expect(seriesValue(snap, requests, route), JSON.stringify(route)).toBe(1);
        expect(seriesValue(snap, responses, route), JSON.stringify(route)).toBe(1);
        expect(seriesValue(snap, statusCodes, { ...route, status_code: '499' })).toBeUndefined();
      }
      expect(seriesValue(snap, inFlight, {})).toBe(0);
    };
    await eventually(check);
    // Still once after whatever the runtime does later with the connection.
    await new Promise((resolve) => setTimeout(resolve, 300));
    check(await snapshot());
  });

  it('records a client that goes away mid-body as 499', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = request(url('/drip'), (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.once('error', (error) => {
        if (!req.destroyed) reject(error);
      });
      req.end();
    });
    // workerd notices the abort only at the next chunk it writes (DRIP_GAP_MS later).
    await eventually((snap) => {
      const { requests, responses, statusCodes, inFlight } = snap.names;
      const route = { method: 'GET', path: '/drip' };
      expect(seriesValue(snap, statusCodes, { ...route, status_code: '499' })).toBe(1);
      expect(seriesValue(snap, statusCodes, { ...route, status_code: '200' })).toBeUndefined();
      expect(seriesValue(snap, requests, route)).toBe(1);
      expect(seriesValue(snap, responses, route) ?? 0).toBe(0);
      expect(seriesValue(snap, inFlight, {})).toBe(0);
    });
  });

  it('pushes with remote write from within a request, once per interval', async () => {
    const receiver = await startReceiver();
    try {
      const target = url(`/pushed?receiver=${encodeURIComponent(receiver.url)}`);
      expect(await (await fetch(target)).text()).toBe('pushed');
      const deadline = Date.now() + WAIT_MS;
      while (receiver.requests.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(await (await fetch(target)).text()).toBe('pushed');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.requests).toHaveLength(1);
      const [{ headers, body }] = receiver.requests as [(typeof receiver.requests)[0]];
      expect(headers['content-encoding']).toBe('snappy');
      const labels = (s: (typeof body.timeseries)[0]) =>
        Object.fromEntries(s.labels.map((l) => [l.name, l.value]));
      const pushed = body.timeseries.find(
        (s) => labels(s).__name__ === 'matrix_pushed_requests_total',
      );
      expect(labels(pushed!).job).toBe('matrix');
      expect(pushed!.samples[0]!.value).toBe(1);
      expect(pushed!.samples[0]!.timestamp).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await receiver.close();
    }
  });
});
