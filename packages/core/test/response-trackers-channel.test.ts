// ResponseTrackers on servers that publish Node's `http.server.response.finish` channel: after
// the first tracked response of a server, its responses are settled by the channel (no
// `close` listener each), a client leaving is still a 499, faults stay contained, and
// servers that never publish (HTTP/2 compatibility responses) keep the listener.
import { Agent, createServer, request, type Server, ServerResponse } from 'node:http';
import { connect, createServer as createHttp2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpMetrics } from '../src/http/http-metrics';
import { RequestTracker, type TrackerOwner } from '../src/http/request-tracker';
import { type NodeResponseLike, ResponseTrackers } from '../src/http/response-trackers';
import { Registry } from '../src/registry';
import { get, settled } from './helpers/tracked-requests';

let closeServer: (() => Promise<void>) | undefined;
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

afterEach(async () => {
  agent.destroy();
  await closeServer?.();
  closeServer = undefined;
});

async function listen(server: Server | Http2Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return (server.address() as AddressInfo).port;
}

describe.each([
  ['property', false],
  ['weakMap', false],
  ['weakMap', true],
] as const)(
  'ResponseTrackers and the finish channel (where: %s, prototype swapped: %s)',
  (where, swap) => {
    /** A server tracking every request under `/x`; `closeListenersAdded` per request, in order. */
    async function trackingServer(handle: (res: ServerResponse) => void) {
      const http = createHttpMetrics({ registry: new Registry(), metrics: { inFlight: true } });
      const responses = new ResponseTrackers({ where });
      const closeListenersAdded: number[] = [];
      const appResponse = Object.create(ServerResponse.prototype) as object;
      const server = createServer((req, res) => {
        if (swap) Object.setPrototypeOf(res, appResponse);
        const t = http.start(req.method ?? 'GET', req.url ?? '/', req, res)!;
        t.matched('/x');
        const before = res.listenerCount('close');
        responses.track(res, t);
        closeListenersAdded.push(res.listenerCount('close') - before);
        handle(res);
      });
      const port = await listen(server);
      return { http, responses, closeListenersAdded, port };
    }

    it('settles the later responses of a server by the channel, without a close listener each', async () => {
      const { http, closeListenersAdded, port } = await trackingServer((res) => {
        res.writeHead(res.req.url === '/created' ? 201 : 200).end('ok');
      });
      expect(await get(port, '/x', agent)).toBe(200);
      expect(await get(port, '/created', agent)).toBe(201);
      expect(await get(port, '/x', agent)).toBe(200);
      await settled(http);
      expect(closeListenersAdded).toEqual([1, 0, 0]);
      expect(http.statusCodes?.get({ method: 'GET', path: '/x', status_code: '200' })).toBe(2);
      expect(http.statusCodes?.get({ method: 'GET', path: '/x', status_code: '201' })).toBe(1);
      expect(http.inFlight?.get()).toBe(0);
    });

    it('records as 499 a response of a known server whose client leaves before it finished', async () => {
      let left: () => void = () => {};
      const clientLeft = new Promise<void>((resolve) => {
        left = resolve;
      });
      const { http, closeListenersAdded, port } = await trackingServer((res) => {
        if (res.req.url !== '/leave') {
          res.end('ok');
          return;
        }
        res.writeHead(200);
        res.write('partial');
        res.socket?.on('close', () => left());
      });
      await get(port, '/x', agent);
      const req = request({ host: '127.0.0.1', port, path: '/leave', agent }, (res) => {
        res.once('data', () => req.destroy());
      });
      req.on('error', () => {});
      req.end();
      await clientLeft;
      await settled(http);
      expect(closeListenersAdded).toEqual([1, 0]);
      expect(http.statusCodes?.get({ method: 'GET', path: '/x', status_code: '499' })).toBe(1);
      expect(http.statusCodes?.get({ method: 'GET', path: '/x', status_code: '200' })).toBe(1);
      expect(http.inFlight?.get()).toBe(0);
    });
  },
);

describe('ResponseTrackers where the finish channel is not published', () => {
  it('keeps a close listener on every HTTP/2 compatibility response and records each', async () => {
    const http = createHttpMetrics({ registry: new Registry(), metrics: { inFlight: true } });
    const responses = new ResponseTrackers();
    const closeListenersAdded: number[] = [];
    const server = createHttp2Server((req, res) => {
      const t = http.start(req.method, req.url, req, res)!;
      t.matched('/h2');
      const before = res.listenerCount('close');
      responses.track(res as unknown as NodeResponseLike, t);
      closeListenersAdded.push(res.listenerCount('close') - before);
      res.writeHead(202).end('ok');
    });
    const port = await listen(server);
    const session = connect(`http://127.0.0.1:${port}`);
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const stream = session.request({ ':path': '/h2' });
          stream.on('error', reject);
          stream.resume();
          stream.on('end', () => resolve());
        });
      }
    } finally {
      session.close();
    }
    await settled(http);
    expect(closeListenersAdded).toEqual([1, 1, 1]);
    expect(http.statusCodes?.get({ method: 'GET', path: '/h2', status_code: '202' })).toBe(3);
  });
});

describe('ResponseTrackers settling by the channel', () => {
  it('counts a fault of the settling as the adapter stage and never throws out of the subscriber', async () => {
    const faults: Array<[string, unknown]> = [];
    let recordThrows = false;
    const owner: TrackerOwner<unknown, unknown> = {
      record() {
        if (recordThrows) throw new Error('record failed');
      },
      discard() {},
      fault(stage, error) {
        faults.push([stage, error]);
      },
    };
    const responses = new ResponseTrackers();
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const server = createServer((req, res) => {
        responses.track(res, new RequestTracker(owner, 'GET', req.url ?? '/', req, res));
        res.end('ok');
      });
      const port = await listen(server);
      expect(await get(port, '/first', agent)).toBe(200);
      recordThrows = true;
      expect(await get(port, '/second', agent)).toBe(200);
      expect(await get(port, '/third', agent)).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    expect(faults.map(([stage, error]) => [stage, (error as Error).message])).toEqual([
      ['adapter', 'record failed'],
      ['adapter', 'record failed'],
    ]);
  });
});
