import { rm } from 'node:fs/promises';
import { decodeProtobuf } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAliasProject, type RunningApp, startApp } from './alias-fixture';
import { PROTOBUF_ACCEPT } from './http-server';

// express-prom-bundle 8 and fastify-metrics 14, unmodified, installed from npm into a
// throwaway project whose package.json overrides prom-client with this package.

const EXPRESS_APP = `
const express = require('express');
const promBundle = require('express-prom-bundle');
const { Service } = require('@promkit/node');
const app = express();
app.use(promBundle({ includeMethod: true, includePath: true, promClient: { collectDefaultMetrics: {} } }));
app.get('/hello/:id', (req, res) => res.send('hi'));
const server = app.listen(0, '127.0.0.1', async () => {
  const service = new Service();
  await service.start({ host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({
    app: server.address().port,
    promkit: service.metricsUrl,
    promClient: require('prom-client/package.json').name,
  }));
});
`;

const FASTIFY_APP = `
const Fastify = require('fastify');
const metrics = require('fastify-metrics');
const { Service } = require('@promkit/node');
(async () => {
  const app = Fastify();
  await app.register(metrics.default ?? metrics, { endpoint: '/metrics' });
  app.get('/hello/:id', async () => 'hi');
  await app.listen({ host: '127.0.0.1', port: 0 });
  const service = new Service();
  await service.start({ host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({
    app: app.server.address().port,
    promkit: service.metricsUrl,
    promClient: require('@prometheus-io/client/package.json').name,
  }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

let dir: string;
let pnpmDir: string;
const running: RunningApp[] = [];

beforeAll(async () => {
  dir = await makeAliasProject({
    express: '^5.1.0',
    'express-prom-bundle': '8.0.0',
    fastify: '^5.6.0',
    'fastify-metrics': '14.1.0',
  });
  pnpmDir = await makeAliasProject({ express: '^5.1.0', 'express-prom-bundle': '8.0.0' }, 'pnpm');
}, 400_000);

afterAll(async () => {
  for (const app of running) app.stop();
  for (const d of [dir, pnpmDir])
    if (d !== undefined) await rm(d, { recursive: true, force: true });
});

async function promkitFamilies(url: string) {
  const response = await fetch(url, { headers: { accept: PROTOBUF_ACCEPT } });
  expect(response.headers.get('content-type')).toContain('application/vnd.google.protobuf');
  return decodeProtobuf(new Uint8Array(await response.arrayBuffer()));
}

describe('third-party integrations on this package through an npm override', () => {
  it.each([
    ['npm overrides', () => dir],
    ['pnpm (alias + pnpm.overrides)', () => pnpmDir],
  ])(
    'express-prom-bundle 8 serves its metrics, which promkit serves too (%s)',
    async (_, where) => {
      const app = await startApp(where(), 'express-app.cjs', EXPRESS_APP);
      running.push(app);
      expect(app.info.promClient).toBe('@promkit/prom-client');
      const base = `http://127.0.0.1:${app.info.app}`;
      expect(await (await fetch(`${base}/hello/7`)).text()).toBe('hi');

      const text = await (await fetch(`${base}/metrics`)).text();
      expect(text).toMatch(/^up 1$/m);
      expect(text).toMatch(
        /^http_request_duration_seconds_bucket\{le="\+Inf",status_code="200",method="GET",path="\/hello\/#val"\} 1$/m,
      );
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);

      const families = await promkitFamilies(app.info.promkit);
      const duration = families.find((f) => f.name === 'http_request_duration_seconds');
      expect(duration?.type).toBe('histogram');
      expect(duration?.metrics[0]?.labels).toEqual({
        status_code: '200',
        method: 'GET',
        path: '/hello/#val',
      });
      expect(duration?.metrics[0]?.histogram?.count).toBe(1);
      expect(families.find((f) => f.name === 'up')?.metrics[0]?.value).toBe(1);
    },
  );

  it('fastify-metrics 14 serves its metrics, which promkit serves too', async () => {
    const app = await startApp(dir, 'fastify-app.cjs', FASTIFY_APP);
    running.push(app);
    expect(app.info.promClient).toBe('@promkit/prom-client');
    const base = `http://127.0.0.1:${app.info.app}`;
    expect(await (await fetch(`${base}/hello/7`)).text()).toBe('hi');
    await fetch(`${base}/hello/8`);

    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(
      /^http_request_duration_seconds_count\{method="GET",route="\/hello\/:id",status_code="200"\} 2$/m,
    );
    expect(text).toMatch(
      /^http_request_summary_seconds_count\{method="GET",route="\/hello\/:id",status_code="200"\} 2$/m,
    );
    expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);

    const families = await promkitFamilies(app.info.promkit);
    const duration = families.find((f) => f.name === 'http_request_duration_seconds');
    expect(duration?.metrics[0]?.labels).toEqual({
      method: 'GET',
      route: '/hello/:id',
      status_code: '200',
    });
    expect(duration?.metrics[0]?.histogram?.count).toBe(2);
    const summary = families.find((f) => f.name === 'http_request_summary_seconds');
    expect(summary?.type).toBe('summary');
    expect(summary?.metrics[0]?.summary?.count).toBe(2);
  });
});
