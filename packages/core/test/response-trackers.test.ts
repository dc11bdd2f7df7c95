// ResponseTrackers against real Node responses: a served request is recorded with its status
// when the response closes after `finish`, a client that leaves first as 499.
import { createServer, request, type Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpMetrics } from '../src/http/http-metrics';
import { ResponseTrackers } from '../src/http/response-trackers';
import { Registry } from '../src/registry';
import { get, settled } from './helpers/tracked-requests';

let server: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

/** Serves with `handle` on a free loopback port after tracking the response; returns the port. */
async function serve(
  responses: ResponseTrackers,
  http: ReturnType<typeof createHttpMetrics>,
  handle: (res: ServerResponse) => void,
  swapPrototype = false,
): Promise<number> {
  // As Express 5 does: one prototype object per app, set on every response.
  const appResponse = Object.create(ServerResponse.prototype) as object;
  server = createServer((req, res) => {
    if (swapPrototype) Object.setPrototypeOf(res, appResponse);
    const t = http.start(req.method ?? 'GET', req.url ?? '/', req, res);
    if (t === undefined) return handle(res);
    t.matched('/x');
    responses.track(res, t);
    expect(responses.get(res)).toBe(t);
    handle(res);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe.each([
  ['property', false],
  ['weakMap', false],
  ['weakMap', true],
] as const)('ResponseTrackers (where: %s, prototype swapped per response: %s)', (where, swap) => {
  it('records a finished response with its status and forgets it', async () => {
    const http = createHttpMetrics({ registry: new Registry(), metrics: { inFlight: true } });
    const responses = new ResponseTrackers({ where });
    let served: ServerResponse | undefined;
    const port = await serve(
      responses,
      http,
      (res) => {
        served = res;
        res.writeHead(201).end('ok');
      },
      swap,
    );
    const status = await get(port, '/x');
    expect(status).toBe(201);
    await settled(http);
    expect(http.statusCodes?.get({ method: 'GET', path: '/x', status_code: '201' })).toBe(1);
    expect(responses.get(served!)).toBeUndefined();
  });

  it('records a response the client left before it finished as 499', async () => {
    const http = createHttpMetrics({ registry: new Registry(), metrics: { inFlight: true } });
    const responses = new ResponseTrackers({ where });
    let left: () => void = () => {};
    const clientLeft = new Promise<void>((resolve) => {
      left = resolve;
    });
    const port = await serve(
      responses,
      http,
      (res) => {
        res.writeHead(200);
        res.write('partial');
        res.on('close', () => left());
      },
      swap,
    );
    const req = request({ host: '127.0.0.1', port, path: '/x' }, (res) => {
      res.once('data', () => req.destroy());
    });
    req.on('error', () => {});
    req.end();
    await clientLeft;
    await settled(http);
    expect(http.statusCodes?.get({ method: 'GET', path: '/x', status_code: '499' })).toBe(1);
    expect(
      http.statusCodes?.get({ method: 'GET', path: '/x', status_code: '200' }),
    ).toBeUndefined();
  });

  it('keeps the trackers of two instrumentations on one response apart, adding no named property', async () => {
    const first = createHttpMetrics({ registry: new Registry(), metrics: { inFlight: true } });
    const second = createHttpMetrics({ registry: new Registry(), metrics: { inFlight: true } });
    const firstResponses = new ResponseTrackers({ where });
    const secondResponses = new ResponseTrackers({ where });
    let keysBefore: string[] = [];
    let keysAfter: string[] = [];
    const port = await serve(
      firstResponses,
      first,
      (res) => {
        keysBefore = Object.keys(res);
        const t = second.start('GET', '/y', undefined, res)!;
        t.matched('/y');
        secondResponses.track(res, t);
        expect(secondResponses.get(res)).toBe(t);
        expect(firstResponses.get(res)).not.toBe(t);
        keysAfter = Object.keys(res);
        res.writeHead(202).end();
      },
      swap,
    );
    await get(port, '/x');
    await settled(first);
    await settled(second);
    expect(first.statusCodes?.get({ method: 'GET', path: '/x', status_code: '202' })).toBe(1);
    expect(second.statusCodes?.get({ method: 'GET', path: '/y', status_code: '202' })).toBe(1);
    expect(keysAfter).toEqual(keysBefore);
  });

  it('settles a response that had closed before it was tracked, with its status', async () => {
    const http = createHttpMetrics({ registry: new Registry(), metrics: { inFlight: true } });
    const responses = new ResponseTrackers({ where });
    const appResponse = Object.create(ServerResponse.prototype) as object;
    server = createServer((req, res) => {
      if (swap) Object.setPrototypeOf(res, appResponse);
      res.writeHead(204).end();
      res.on('close', () => {
        const t = http.start(req.method ?? 'GET', req.url ?? '/', req, res)!;
        t.matched('/late');
        responses.track(res, t);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await get(port, '/late');
    await new Promise((resolve) => setTimeout(resolve, 20));
    await settled(http);
    expect(http.statusCodes?.get({ method: 'GET', path: '/late', status_code: '204' })).toBe(1);
  });
});
