import { gunzipSync } from 'node:zlib';
import { Counter, Registry, StoreUnavailableError } from '@promkit/core';
import { decodeProtobuf } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Service, ServiceListenError, ServiceNotStartedError } from '../src/index';
import { rawRequest } from './helpers/http-request';

const PROTOBUF_ACCEPT =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';

function makeRegistry(): Registry {
  const registry = new Registry();
  const jobs = new Counter('jobs_total', 'Jobs run.', { registry, labelNames: ['queue'] as const });
  jobs.inc({ queue: 'mail' }, 3);
  return registry;
}

describe('Service over real HTTP', () => {
  const service = new Service({ registry: makeRegistry() });

  beforeAll(async () => {
    await service.start({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('serves text 0.0.4 by default with its content type', async () => {
    const res = await rawRequest(service.metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body.toString()).toContain('jobs_total{queue="mail"} 3\n');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('negotiates OpenMetrics and protobuf from the Accept header', async () => {
    const om = await rawRequest(service.metricsUrl, {
      headers: { Accept: 'application/openmetrics-text;version=1.0.0' },
    });
    expect(om.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(om.body.toString()).toMatch(/# EOF\n$/);

    const pb = await rawRequest(service.metricsUrl, { headers: { Accept: PROTOBUF_ACCEPT } });
    expect(pb.headers['content-type']).toBe(
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
    );
    const families = decodeProtobuf(new Uint8Array(pb.body));
    const jobs = families.find((f) => f.name === 'jobs_total');
    expect(jobs?.metrics[0]).toMatchObject({ labels: { queue: 'mail' }, value: 3 });
  });

  it('gzips when the client accepts gzip, and not when gzip has q=0', async () => {
    const zipped = await rawRequest(service.metricsUrl, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept, Accept-Encoding');
    expect(gunzipSync(zipped.body).toString()).toContain('jobs_total{queue="mail"} 3\n');

    const refused = await rawRequest(service.metricsUrl, {
      headers: { 'Accept-Encoding': 'gzip;q=0, identity' },
    });
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(refused.body.toString()).toContain('jobs_total{queue="mail"} 3\n');

    const wildcard = await rawRequest(service.metricsUrl, { headers: { 'Accept-Encoding': '*' } });
    expect(wildcard.headers['content-encoding']).toBe('gzip');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await rawRequest(service.metricsUrl);
    const head = await rawRequest(service.metricsUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('serves an HTML index linking the metrics path, robots.txt and healthz', async () => {
    const index = await rawRequest(`${service.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body.toString()).toContain('<a href="./metrics">');

    const robots = await rawRequest(`${service.url}/robots.txt`);
    expect(robots.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(robots.body.toString()).toBe('User-agent: *\nDisallow: /\n');

    const health = await rawRequest(`${service.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('ignores the query string when routing', async () => {
    const res = await rawRequest(`${service.metricsUrl}?name[]=jobs_total`);
    expect(res.status).toBe(200);
  });

  it('answers 404 for unknown paths and 405 for other methods', async () => {
    const missing = await rawRequest(`${service.url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toBe('text/plain; charset=utf-8');

    const post = await rawRequest(service.metricsUrl, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect(post.headers['content-type']).toBe('text/plain; charset=utf-8');
  });
});

describe('Service lifecycle', () => {
  it('throws a clear error when metricsUrl is read before start', () => {
    const service = new Service({ registry: new Registry() });
    expect(() => service.metricsUrl).toThrow(ServiceNotStartedError);
    expect(() => service.metricsUrl).toThrow(/await service\.start\(\)/);
  });

  it('treats a second start and a second stop as no-ops', async () => {
    const service = new Service({ registry: makeRegistry() });
    await service.start({ host: '127.0.0.1' });
    const url = service.metricsUrl;
    await service.start({ host: '127.0.0.1' });
    expect(service.metricsUrl).toBe(url);
    expect((await rawRequest(url)).status).toBe(200);
    await Promise.all([service.stop(), service.stop()]);
    await service.stop();
    expect(service.listening).toBe(false);
    await expect(rawRequest(url)).rejects.toThrow(/ECONNREFUSED/);
    // And it can start again after stopping.
    await service.start({ host: '127.0.0.1' });
    expect((await rawRequest(service.metricsUrl)).status).toBe(200);
    await service.stop();
  });

  it('wraps a failure to listen in ServiceListenError and can retry on another port', async () => {
    const first = new Service({ registry: makeRegistry() });
    await first.start({ host: '127.0.0.1' });
    const second = new Service({ registry: makeRegistry() });
    try {
      const error = await second.start({ host: '127.0.0.1', port: first.port }).catch((e) => e);
      expect(error).toBeInstanceOf(ServiceListenError);
      expect(error.message).toContain(`127.0.0.1:${first.port}`);
      expect(error.cause.code).toBe('EADDRINUSE');
      expect(second.listening).toBe(false);
      await second.start({ host: '127.0.0.1' });
      expect((await rawRequest(second.metricsUrl)).status).toBe(200);
    } finally {
      await second.stop();
      await first.stop();
    }
  });

  it('serves a custom metrics path and reports a wildcard bind as loopback', async () => {
    const service = new Service({ registry: makeRegistry(), metricsPath: '/internal/prom' });
    await service.start({ host: '0.0.0.0' });
    try {
      expect(service.metricsUrl).toBe(`http://127.0.0.1:${service.port}/internal/prom`);
      expect((await rawRequest(service.metricsUrl)).status).toBe(200);
      expect((await rawRequest(`${service.url}/metrics`)).status).toBe(404);
      expect((await rawRequest(`${service.url}/`)).body.toString()).toContain(
        '<a href="./internal/prom">',
      );
    } finally {
      await service.stop();
    }
  });

  it('answers 500 and reports the error when collecting fails', async () => {
    const errors: unknown[] = [];
    const service = new Service({
      registry: {
        collect: () => {
          throw new Error('registry exploded');
        },
      },
      onError: (error) => errors.push(error),
    });
    await service.start({ host: '127.0.0.1' });
    try {
      const res = await rawRequest(service.metricsUrl);
      expect(res.status).toBe(500);
      expect(String(errors[0])).toContain('registry exploded');
    } finally {
      await service.stop();
    }
  });
});

describe('Service auth', () => {
  const basic = new Service({
    registry: makeRegistry(),
    auth: { username: 'prom', password: 's3cret: with colon' },
  });
  const bearer = new Service({ registry: makeRegistry(), auth: { bearer: 'tok-123' } });

  beforeAll(async () => {
    await basic.start({ host: '127.0.0.1' });
    await bearer.start({ host: '127.0.0.1' });
  });
  afterAll(async () => {
    await basic.stop();
    await bearer.stop();
  });

  const basicHeader = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  it('rejects a scrape without credentials with 401 and a Basic challenge', async () => {
    const res = await rawRequest(basic.metricsUrl);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="metrics", charset="UTF-8"');
    expect(res.body.toString()).not.toContain('jobs_total');
  });

  it('rejects a wrong password or user and accepts the right pair', async () => {
    for (const [user, password] of [
      ['prom', 'wrong'],
      ['other', 's3cret: with colon'],
      ['prom', 's3cret: with colon '],
      ['', ''],
    ] as const) {
      const res = await rawRequest(basic.metricsUrl, {
        headers: { Authorization: basicHeader(user, password) },
      });
      expect(res.status, `${user}:${password}`).toBe(401);
    }
    const ok = await rawRequest(basic.metricsUrl, {
      headers: { Authorization: basicHeader('prom', 's3cret: with colon') },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.toString()).toContain('jobs_total{queue="mail"} 3');
  });

  it('checks bearer tokens, scheme case-insensitively', async () => {
    const none = await rawRequest(bearer.metricsUrl);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    const wrong = await rawRequest(bearer.metricsUrl, {
      headers: { Authorization: 'Bearer tok-12' },
    });
    expect(wrong.status).toBe(401);
    const basicInstead = await rawRequest(bearer.metricsUrl, {
      headers: { Authorization: basicHeader('x', 'tok-123') },
    });
    expect(basicInstead.status).toBe(401);
    const ok = await rawRequest(bearer.metricsUrl, {
      headers: { Authorization: 'bearer tok-123' },
    });
    expect(ok.status).toBe(200);
  });

  it('protects only the metrics path', async () => {
    expect((await rawRequest(`${basic.url}/healthz`)).status).toBe(200);
    expect((await rawRequest(`${basic.url}/`)).status).toBe(200);
  });
});

describe('Service when the metrics store is unavailable', () => {
  it('answers 503 with Retry-After instead of a partial page', async () => {
    const errors: unknown[] = [];
    const service = new Service({
      registry: {
        collect: () => Promise.reject(new StoreUnavailableError('Redis is unreachable')),
      },
      onError: (error) => errors.push(error),
    });
    await service.start({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(service.metricsUrl);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(await res.text()).toContain('Redis is unreachable');
      expect(errors).toHaveLength(1);
    } finally {
      await service.stop();
    }
  });
});

describe('Service on several hosts, with a pre-scrape hook and extra headers', () => {
  it('binds every host on one port and runs beforeScrape only for authorized scrapes', async () => {
    const registry = new Registry();
    const scrapes = new Counter('hook_runs_total', 'Hook runs.', { registry });
    const service = new Service({
      registry,
      auth: { bearer: 'tok' },
      beforeScrape: async () => {
        scrapes.inc();
      },
      headers: { Server: 'unit/1.0' },
      description: 'A <test> service.',
      generator: 'unit/1.0',
    });
    await service.start({ host: ['127.0.0.1', '::1'], port: 0 });
    try {
      expect(service.urls).toEqual([
        `http://127.0.0.1:${service.port}`,
        `http://[::1]:${service.port}`,
      ]);
      expect(service.httpServers).toHaveLength(2);
      expect((await rawRequest(`${service.urls[1]}/metrics`)).status).toBe(401);
      for (const url of service.urls) {
        const res = await rawRequest(`${url}/metrics`, {
          headers: { authorization: 'Bearer tok' },
        });
        expect(res.status).toBe(200);
        expect(res.headers.server).toBe('unit/1.0');
      }
      const res = await rawRequest(`${service.url}/metrics`, {
        headers: { authorization: 'Bearer tok' },
      });
      expect(res.body.toString()).toContain('hook_runs_total 3');
      const index = (await rawRequest(`${service.url}/`)).body.toString();
      expect(index).toContain('<p>A &lt;test&gt; service.</p>');
      expect(index).toContain('<meta name="generator" content="unit/1.0">');
    } finally {
      await service.stop();
    }
    expect(service.listening).toBe(false);
  });

  it('answers 500 and reports a failing pre-scrape hook', async () => {
    const errors: unknown[] = [];
    const service = new Service({
      registry: makeRegistry(),
      beforeScrape: () => Promise.reject(new Error('refresh failed')),
      onError: (error) => errors.push(error),
    });
    await service.start({ host: '127.0.0.1' });
    try {
      expect((await rawRequest(service.metricsUrl)).status).toBe(500);
      expect(String(errors[0])).toContain('refresh failed');
    } finally {
      await service.stop();
    }
  });
});

describe('Service beforeScrape keeps the registry’s naming', () => {
  it('renders a UTF-8 registry the same with and without the hook', async () => {
    const registry = new Registry({ nameValidation: 'utf8' });
    new Counter('app.jobs', 'Jobs.', { registry }).inc(2);
    const plain = new Service({ registry });
    const hooked = new Service({ registry, beforeScrape: () => {} });
    await plain.start({ host: '127.0.0.1' });
    await hooked.start({ host: '127.0.0.1' });
    try {
      for (const accept of [undefined, 'text/plain;version=1.0.0;escaping=allow-utf-8']) {
        const headers: Record<string, string> = accept === undefined ? {} : { accept };
        const a = await rawRequest(plain.metricsUrl, { headers });
        const b = await rawRequest(hooked.metricsUrl, { headers });
        expect(b.headers['content-type']).toBe(a.headers['content-type']);
        expect(b.body.toString()).toBe(a.body.toString());
        expect(a.body.toString()).toMatch(/app/);
      }
    } finally {
      await plain.stop();
      await hooked.stop();
    }
  });
});
