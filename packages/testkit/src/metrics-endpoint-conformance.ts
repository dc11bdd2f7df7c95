// The behaviour every promkit metrics endpoint must show (the four adapters' handlers, node's
// Service, the exporter), as one table run over real HTTP. Part of the HTTP conformance suite;
// structural types only, like http-conformance.ts: testkit must not depend on @promkit/core.
import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

/** What the endpoint renders: anything with `collect()`, as core's `Collector`. */
export interface EndpointSource {
  collect(): Promise<readonly object[]>;
}

/** The responder options the table varies; each server passes them through in its own way. */
export interface EndpointOptions {
  readonly registry: EndpointSource;
  readonly auth?:
    | { readonly username: string; readonly password: string }
    | { readonly bearer: string }
    | ((authorization: string | undefined) => boolean | Promise<boolean>);
  readonly realm?: string;
  readonly compression?: boolean;
  readonly onError?: (error: unknown) => void;
}

export interface Endpoint {
  /** The full URL of the metrics page, `http://127.0.0.1:PORT/metrics`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a real server on 127.0.0.1 that serves `options` at the returned URL. */
export type EndpointFactory = (options: EndpointOptions) => Promise<Endpoint>;

export interface EndpointConformanceSetup {
  /** Makes the error a store raises when it is unreachable (core's `StoreUnavailableError`). */
  readonly storeUnavailable: (message: string) => Error;
}

interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

/** One request without any decoding (fetch would gunzip and hide Content-Encoding). */
function send(
  url: string,
  headers: Readonly<Record<string, string>> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers as Record<string, string | undefined>,
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const SERIES = 120;
const TEXT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
const PROTOBUF_TYPE =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const USER = 'prometheus';
const PASSWORD = 'pä:ss word';
const BEARER = 's3cret-t0ken';

/** A page of a few kilobytes, so gzip has something to do. */
function healthySource(): EndpointSource {
  const points = Array.from({ length: SERIES }, (_, i) => ({
    labels: { shard: `shard-${i}` },
    value: i,
  }));
  return {
    collect: async () => [
      { name: 'conformance_shard_items', help: 'Items per shard.', type: 'gauge', points },
    ],
  };
}

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/** The headers every metrics response carries, whatever server sends it. */
function expectCommonHeaders(response: RawResponse): void {
  expect(response.headers.vary).toBe('Accept, Accept-Encoding');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['content-length']).toBe(String(response.body.length));
}

/** The headers a table row compares between GET and HEAD. */
function entityHeaders(response: RawResponse): Record<string, string | undefined> {
  const h = response.headers;
  return {
    'content-type': h['content-type'],
    'content-length': h['content-length'],
    'content-encoding': h['content-encoding'],
    vary: h.vary,
    'cache-control': h['cache-control'],
    'www-authenticate': h['www-authenticate'],
    'retry-after': h['retry-after'],
  };
}

interface EndpointCase {
  readonly name: string;
  run(factory: EndpointFactory, setup: EndpointConformanceSetup): Promise<void>;
}

async function withEndpoint(
  factory: EndpointFactory,
  options: EndpointOptions,
  use: (url: string) => Promise<void>,
): Promise<void> {
  const endpoint = await factory(options);
  try {
    await use(endpoint.url);
  } finally {
    await endpoint.close();
  }
}

/** The shared table: every metrics endpoint must pass every row, byte for byte. */
export const METRICS_ENDPOINT_CASES: readonly EndpointCase[] = [
  {
    name: 'negotiates text 0.0.4, OpenMetrics and protobuf with Vary, no-store and Content-Length',
    async run(factory) {
      await withEndpoint(factory, { registry: healthySource() }, async (url) => {
        const text = await send(url);
        expect(text.status).toBe(200);
        expect(text.headers['content-type']).toBe(TEXT_TYPE);
        expect(text.headers['content-encoding']).toBeUndefined();
        expectCommonHeaders(text);
        expect(text.body.toString()).toContain('conformance_shard_items{shard="shard-7"} 7\n');
        const om = await send(url, {
          accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5',
        });
        expect(om.headers['content-type']).toBe(OPENMETRICS_TYPE);
        expectCommonHeaders(om);
        expect(om.body.toString()).toMatch(/# EOF\n$/);
        const pb = await send(url, { accept: PROTOBUF_ACCEPT });
        expect(pb.headers['content-type']).toBe(PROTOBUF_TYPE);
        expectCommonHeaders(pb);
        expect(pb.body.includes('conformance_shard_items')).toBe(true);
      });
    },
  },
  {
    name: 'gzips when Accept-Encoding allows it (q-values honoured) and round-trips the page',
    async run(factory) {
      await withEndpoint(factory, { registry: healthySource() }, async (url) => {
        const plain = await send(url);
        const zipped = await send(url, { 'accept-encoding': 'br;q=1.0, gzip;q=0.8' });
        expect(zipped.status).toBe(200);
        expect(zipped.headers['content-encoding']).toBe('gzip');
        expectCommonHeaders(zipped);
        expect(zipped.body.length).toBeLessThan(plain.body.length);
        expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
        const pb = await send(url, { accept: PROTOBUF_ACCEPT, 'accept-encoding': 'gzip' });
        const pbPlain = await send(url, { accept: PROTOBUF_ACCEPT });
        expect(pb.headers['content-encoding']).toBe('gzip');
        expect(gunzipSync(pb.body).equals(pbPlain.body)).toBe(true);
        for (const refused of ['gzip;q=0', 'identity', '*;q=0', 'br, *;q=0']) {
          const answer = await send(url, { 'accept-encoding': refused });
          expect(answer.headers['content-encoding']).toBeUndefined();
          expect(answer.body.equals(plain.body)).toBe(true);
        }
        const wildcard = await send(url, { 'accept-encoding': '*' });
        expect(wildcard.headers['content-encoding']).toBe('gzip');
      });
    },
  },
  {
    name: 'never gzips with compression: false',
    async run(factory) {
      await withEndpoint(
        factory,
        { registry: healthySource(), compression: false },
        async (url) => {
          const answer = await send(url, { 'accept-encoding': 'gzip' });
          expect(answer.status).toBe(200);
          expect(answer.headers['content-encoding']).toBeUndefined();
          expectCommonHeaders(answer);
          expect(answer.body.toString()).toContain('conformance_shard_items');
        },
      );
    },
  },
  {
    name: "answers HEAD with GET's status and headers and no body",
    async run(factory) {
      await withEndpoint(factory, { registry: healthySource() }, async (url) => {
        const variants: Array<Record<string, string>> = [
          {},
          { 'accept-encoding': 'gzip' },
          { accept: PROTOBUF_ACCEPT },
        ];
        for (const headers of variants) {
          const get = await send(url, headers);
          const head = await send(url, headers, 'HEAD');
          expect(head.status).toBe(200);
          expect(head.body.length).toBe(0);
          expect(entityHeaders(head)).toEqual(entityHeaders(get));
        }
      });
    },
  },
  {
    name: 'Basic auth: 401 with the realm challenge, 200 for the right user and password only',
    async run(factory) {
      await withEndpoint(
        factory,
        {
          registry: healthySource(),
          auth: { username: USER, password: PASSWORD },
          realm: 'conformance',
        },
        async (url) => {
          const missing = await send(url);
          expect(missing.status).toBe(401);
          expect(missing.headers['www-authenticate']).toBe(
            'Basic realm="conformance", charset="UTF-8"',
          );
          expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');
          expectCommonHeaders(missing);
          expect(missing.body.toString()).toBe('Unauthorized\n');
          const head = await send(url, {}, 'HEAD');
          expect(head.status).toBe(401);
          expect(head.body.length).toBe(0);
          expect(entityHeaders(head)).toEqual(entityHeaders(missing));
          for (const wrong of [
            basic(USER, `${PASSWORD}x`),
            basic(`${USER}x`, PASSWORD),
            basic(USER, ''),
            `Bearer ${BEARER}`,
            'Basic not-base64!',
          ]) {
            expect((await send(url, { authorization: wrong })).status).toBe(401);
          }
          const ok = await send(url, { authorization: basic(USER, PASSWORD) });
          expect(ok.status).toBe(200);
          expect(ok.body.toString()).toContain('conformance_shard_items');
          const lower = `basic ${basic(USER, PASSWORD).slice(6)}`;
          expect((await send(url, { authorization: lower })).status).toBe(200);
        },
      );
    },
  },
  {
    name: 'bearer auth: the exact token only, with a Bearer challenge',
    async run(factory) {
      await withEndpoint(
        factory,
        { registry: healthySource(), auth: { bearer: BEARER } },
        async (url) => {
          const missing = await send(url);
          expect(missing.status).toBe(401);
          expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
          for (const wrong of [
            `Bearer ${BEARER}x`,
            `Bearer ${BEARER.slice(1)}`,
            'Bearer',
            BEARER,
          ]) {
            expect((await send(url, { authorization: wrong })).status).toBe(401);
          }
          expect((await send(url, { authorization: `Bearer ${BEARER}` })).status).toBe(200);
        },
      );
    },
  },
  {
    name: 'function auth: asked with the Authorization header, as it was sent',
    async run(factory) {
      const seen: Array<string | undefined> = [];
      const auth = async (header: string | undefined): Promise<boolean> => {
        seen.push(header);
        return header === 'Custom let-me-in';
      };
      await withEndpoint(factory, { registry: healthySource(), auth }, async (url) => {
        const missing = await send(url);
        expect(missing.status).toBe(401);
        expect(missing.headers['www-authenticate']).toBe('Basic realm="metrics"');
        expect((await send(url, { authorization: 'Custom nope' })).status).toBe(401);
        expect((await send(url, { authorization: 'Custom let-me-in' })).status).toBe(200);
        expect(seen).toEqual([undefined, 'Custom nope', 'Custom let-me-in']);
      });
    },
  },
  {
    name: 'an unavailable store: 503 with Retry-After, never a crash',
    async run(factory, setup) {
      const registry: EndpointSource = {
        collect: () => Promise.reject(setup.storeUnavailable('redis at 127.0.0.1:1 is down')),
      };
      await withEndpoint(factory, { registry }, async (url) => {
        for (let i = 0; i < 2; i++) {
          const answer = await send(url, { 'accept-encoding': 'gzip' });
          expect(answer.status).toBe(503);
          expect(answer.headers['retry-after']).toBe('5');
          expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
          expect(answer.headers['content-encoding']).toBeUndefined();
          expectCommonHeaders(answer);
          expect(answer.body.toString()).toBe(
            'Service Unavailable: redis at 127.0.0.1:1 is down\n',
          );
        }
      });
    },
  },
  {
    name: 'any other failure: one generic 500, reported through onError, and the server lives on',
    async run(factory) {
      const errors: unknown[] = [];
      let fail = true;
      const healthy = healthySource();
      const registry: EndpointSource = {
        collect: () =>
          fail ? Promise.reject(new Error('collector bug: password=hunter2')) : healthy.collect(),
      };
      await withEndpoint(
        factory,
        { registry, onError: (error) => errors.push(error) },
        async (url) => {
          const answer = await send(url);
          expect(answer.status).toBe(500);
          expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
          expectCommonHeaders(answer);
          expect(answer.body.toString()).toBe('Internal Server Error\n');
          expect(errors.map((e) => (e as Error).message)).toEqual([
            'collector bug: password=hunter2',
          ]);
          fail = false;
          expect((await send(url)).status).toBe(200);
        },
      );
    },
  },
];

/**
 * Registers the metrics-endpoint table for one server: each row starts the server with
 * its options through `factory` and talks to it over HTTP on 127.0.0.1.
 *
 * @example
 * describeMetricsEndpointConformance('@promkit/koa', async (options) => {
 *   // serve metricsHandler(options) at /metrics on port 0 and return its URL
 * }, { storeUnavailable: (m) => new StoreUnavailableError(m) });
 */
export function describeMetricsEndpointConformance(
  server: string,
  factory: EndpointFactory,
  setup: EndpointConformanceSetup,
): void {
  describe(`${server}: metrics endpoint conformance`, () => {
    for (const row of METRICS_ENDPOINT_CASES) {
      it(row.name, () => row.run(factory, setup));
    }
  });
}
