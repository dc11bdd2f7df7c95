import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import Router from '@koa/router';
import { type HttpMetricNames, Registry } from '@promkit/core';
import * as promkitExpress from '@promkit/express';
import { fastifyMetrics } from '@promkit/fastify';
import * as promkitHono from '@promkit/hono';
import * as promkitKoa from '@promkit/koa';
import { type PrometheusHandle, startPrometheus } from '@promkit/testkit';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// One real Prometheus 2.42 scrapes every adapter through each exposition format. Its
// Accept header depends only on --enable-feature=native-histograms, so each target is a
// loopback proxy in front of the app's own /metrics route that rewrites Accept to one
// format: the adapter's handler still negotiates, and the proxy records what it answered.

const FORMATS = {
  text: { accept: 'text/plain;version=0.0.4', contentType: /^text\/plain; version=0\.0\.4/ },
  openmetrics: {
    accept: 'application/openmetrics-text;version=1.0.0',
    contentType: /^application\/openmetrics-text; version=1\.0\.0/,
  },
  protobuf: {
    accept:
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    contentType: /^application\/vnd\.google\.protobuf/,
  },
} as const;
type Format = keyof typeof FORMATS;

/** What README's "stored names" table promises for the default names, in every format. */
const DEFAULT_STORED = [
  'http_exceptions_total',
  'http_request_duration_seconds_bucket',
  'http_request_duration_seconds_count',
  'http_request_duration_seconds_sum',
  'http_requests_by_status_total',
  'http_requests_in_flight',
  'http_requests_total',
  'http_responses_total',
];
const HISTOGRAM_AND_GAUGE = DEFAULT_STORED.filter((n) => /duration|in_flight/.test(n));
const AIOPROMETHEUS_COUNTERS = [
  'exceptions_total_counter',
  'requests_total_counter',
  'responses_total_counter',
  'status_codes_counter',
];

interface App {
  readonly name: string;
  readonly port: number;
  close(): Promise<void>;
}

async function listening(server: Server): Promise<number> {
  if (!server.listening) await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function closing(server: Server): () => Promise<void> {
  return async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
}

async function expressApp(): Promise<App> {
  const registry = new Registry();
  const app = express();
  const metrics = promkitExpress.metricsMiddleware({ registry });
  app.use(metrics);
  app.get('/metrics', promkitExpress.metricsHandler({ registry }));
  app.get('/users/:id', (_req, res) => {
    res.send('user');
  });
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.use(metrics.errorHandler);
  app.use((_error: unknown, _req: express.Request, res: express.Response, _next: unknown) => {
    res.status(500).send('failed');
  });
  const server = app.listen(0, '127.0.0.1');
  return { name: 'express', port: await listening(server), close: closing(server) };
}

async function fastifyApp(): Promise<App> {
  const app = Fastify();
  await app.register(fastifyMetrics, { registry: new Registry() });
  app.get('/users/:id', async () => 'user');
  app.get('/boom', async () => {
    throw new Error('boom');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    name: 'fastify',
    port: (app.server.address() as AddressInfo).port,
    close: () => app.close(),
  };
}

async function koaApp(): Promise<App> {
  const registry = new Registry();
  const app = new Koa();
  const router = new Router();
  app.use(promkitKoa.metricsMiddleware({ registry }));
  router.get('/metrics', promkitKoa.metricsHandler({ registry }));
  router.get('/users/:id', (ctx) => {
    ctx.body = 'user';
  });
  router.get('/boom', () => {
    throw new Error('boom');
  });
  app.use(router.routes());
  app.silent = true;
  const server = app.listen(0, '127.0.0.1');
  return { name: 'koa', port: await listening(server), close: closing(server) };
}

async function honoApp(name: string, names: HttpMetricNames): Promise<App> {
  const registry = new Registry();
  const app = new Hono();
  app.use(promkitHono.metricsMiddleware({ registry, names }));
  app.get('/metrics', promkitHono.metricsHandler({ registry }));
  app.get('/users/:id', (c) => c.text('user'));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.onError((_error, c) => c.text('failed', 500));
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  return { name, port: await listening(server), close: closing(server) };
}

/** A proxy to `app`'s /metrics that asks for `format` whatever the scraper's Accept says. */
interface Target {
  readonly app: string;
  readonly format: Format;
  readonly instance: string;
  /** Content-Types the app answered through this proxy. */
  readonly served: Set<string>;
  close(): Promise<void>;
}

async function proxy(app: App, format: Format): Promise<Target> {
  const served = new Set<string>();
  const server = createServer((req, res) => {
    const upstream = request(
      {
        host: '127.0.0.1',
        port: app.port,
        path: '/metrics',
        method: req.method,
        headers: { ...req.headers, host: `127.0.0.1:${app.port}`, accept: FORMATS[format].accept },
      },
      (answer) => {
        served.add(String(answer.headers['content-type']));
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => res.writeHead(502).end(String(error)));
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  const port = await listening(server);
  return { app: app.name, format, instance: `127.0.0.1:${port}`, served, close: closing(server) };
}

describe('default HTTP metric names, scraped by a real Prometheus in every format', () => {
  const apps: App[] = [];
  const targets: Target[] = [];
  let prom: PrometheusHandle;
  /** Stored series names per `app/format`. */
  const stored = new Map<string, string[]>();

  beforeAll(async () => {
    apps.push(
      await expressApp(),
      await fastifyApp(),
      await koaApp(),
      await honoApp('hono', 'promkit'),
      await honoApp('hono-aioprometheus', 'aioprometheus'),
    );
    for (const app of apps) {
      for (const path of ['/users/1', '/users/2', '/boom', '/nope']) {
        await (await fetch(`http://127.0.0.1:${app.port}${path}`)).arrayBuffer();
      }
      for (const format of Object.keys(FORMATS) as Format[]) {
        targets.push(await proxy(app, format));
      }
    }
    prom = await startPrometheus({ targets: targets.map((t) => t.instance) });
    // A scrape is stored atomically: once a target shows one of its series, it shows all.
    await prom.waitFor(
      'count by (instance) ({job="promkit", __name__=~"http_.+|.+_counter(_total)?"})',
      (result) => result.length === targets.length,
      60_000,
    );
    const rows = await prom.query('group by (__name__, instance) ({job="promkit"})');
    for (const { metric } of rows) {
      const name = metric.__name__!;
      if (name === 'up' || name.startsWith('scrape_')) continue;
      const target = targets.find((t) => t.instance === metric.instance)!;
      const key = `${target.app}/${target.format}`;
      stored.set(key, [...(stored.get(key) ?? []), name].sort());
    }
  }, 150_000);

  afterAll(async () => {
    await prom?.stop();
    for (const t of targets) await t.close();
    for (const app of apps) await app.close();
  });

  it('every target was scraped cleanly in the format it stands for', async () => {
    const health = await prom.targets();
    expect(health.map((t) => [t.scrapeUrl, t.health, t.lastError]).sort()).toEqual(
      targets.map((t) => [`http://${t.instance}/metrics`, 'up', '']).sort(),
    );
    for (const t of targets) {
      expect([...t.served], `${t.app}/${t.format}`).toEqual([
        expect.stringMatching(FORMATS[t.format].contentType),
      ]);
    }
  });

  it.each(['express', 'fastify', 'koa', 'hono'])(
    '%s: the same stored series names from text, OpenMetrics and protobuf',
    (app) => {
      expect(stored.get(`${app}/text`)).toEqual(DEFAULT_STORED);
      expect(stored.get(`${app}/openmetrics`)).toEqual(stored.get(`${app}/text`));
      expect(stored.get(`${app}/protobuf`)).toEqual(stored.get(`${app}/text`));
    },
  );

  it("names: 'aioprometheus' stores its counters with _total appended from OpenMetrics (the documented caveat)", () => {
    const app = 'hono-aioprometheus';
    const asNamed = [...AIOPROMETHEUS_COUNTERS, ...HISTOGRAM_AND_GAUGE].sort();
    expect(stored.get(`${app}/text`)).toEqual(asNamed);
    expect(stored.get(`${app}/protobuf`)).toEqual(asNamed);
    expect(stored.get(`${app}/openmetrics`)).toEqual(
      [...AIOPROMETHEUS_COUNTERS.map((n) => `${n}_total`), ...HISTOGRAM_AND_GAUGE].sort(),
    );
  });
});
