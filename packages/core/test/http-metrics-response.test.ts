import { gunzipSync } from 'node:zlib';
import { decodeProtobuf } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import { ConfigError, StoreUnavailableError } from '../src/errors';
import { basicCredentials } from '../src/http/metrics-auth';
import { type MetricsResponse, metricsResponder } from '../src/http/metrics-response';
import { Counter } from '../src/metrics/counter';
import { Registry } from '../src/registry';

function registryWithOneCounter(): Registry {
  const registry = new Registry();
  new Counter('jobs_total', 'Jobs run.', { registry }).inc(3);
  return registry;
}

function text(answer: MetricsResponse): string {
  const body = answer.body;
  if (body === null || body instanceof ReadableStream) throw new Error('expected bytes');
  return typeof body === 'string' ? body : new TextDecoder().decode(body);
}

function basic(user: string, password: string): string {
  return `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)))}`;
}

describe('metricsResponder', () => {
  it('negotiates text, OpenMetrics and protobuf with the matching Content-Type', async () => {
    const respond = metricsResponder({ registry: registryWithOneCounter() });
    const plain = await respond({});
    expect(plain.status).toBe(200);
    expect(plain.headers['Content-Type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(plain.headers.Vary).toBe('Accept, Accept-Encoding');
    expect(plain.headers['Cache-Control']).toBe('no-store');
    expect(text(plain)).toContain('jobs_total 3\n');
    expect(plain.headers['Content-Length']).toBe(String(text(plain).length));
    const om = await respond({ accept: 'application/openmetrics-text;version=1.0.0' });
    expect(om.headers['Content-Type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(text(om)).toMatch(/# EOF\n$/);
    const pb = await respond({
      accept:
        'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    });
    expect(pb.headers['Content-Type']).toMatch(/^application\/vnd\.google\.protobuf/);
    expect(pb.body).toBeInstanceOf(Uint8Array);
  });

  it('writes OpenMetrics _created samples only with openMetricsCreated; protobuf always keeps the field', async () => {
    const registry = registryWithOneCounter();
    const om = 'application/openmetrics-text;version=1.0.0';
    const plain = await metricsResponder({ registry })({ accept: om });
    expect(text(plain)).toContain('jobs_total 3\n');
    expect(text(plain)).not.toContain('_created');
    const created = await metricsResponder({ registry, openMetricsCreated: true })({ accept: om });
    expect(text(created)).toMatch(/\njobs_created \d+(\.\d+)?\n/);
    const textPage = await metricsResponder({ registry, openMetricsCreated: true })({});
    expect(text(textPage)).not.toContain('_created');
    const pb = await metricsResponder({ registry })({
      accept:
        'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    });
    const [family] = decodeProtobuf(pb.body as Uint8Array);
    expect(family?.metrics[0]?.createdTimestamp).toBeGreaterThan(1_700_000_000);
  });

  it('gzips when Accept-Encoding allows it (q-values honoured) and answers HEAD without a body', async () => {
    const respond = metricsResponder({ registry: registryWithOneCounter() });
    const zipped = await respond({ acceptEncoding: 'br;q=1, gzip;q=0.5' });
    expect(zipped.headers['Content-Encoding']).toBe('gzip');
    const bytes = zipped.body as Uint8Array;
    expect(zipped.headers['Content-Length']).toBe(String(bytes.byteLength));
    expect(gunzipSync(bytes).toString()).toContain('jobs_total 3\n');
    const refused = await respond({ acceptEncoding: 'gzip;q=0, *' });
    expect(refused.headers['Content-Encoding']).toBeUndefined();
    const off = metricsResponder({ registry: registryWithOneCounter(), compression: false });
    expect((await off({ acceptEncoding: 'gzip' })).headers['Content-Encoding']).toBeUndefined();
    const head = await respond({ method: 'HEAD', acceptEncoding: 'gzip' });
    expect(head.body).toBeNull();
    expect(head.headers).toEqual(zipped.headers);
  });

  it('asks for Basic credentials and answers only the right ones', async () => {
    const respond = metricsResponder({
      registry: registryWithOneCounter(),
      auth: { username: 'prom', password: 'sécret' },
      realm: 'shop',
    });
    const missing = await respond({});
    expect(missing.status).toBe(401);
    expect(missing.headers['WWW-Authenticate']).toBe('Basic realm="shop", charset="UTF-8"');
    expect(text(missing)).not.toContain('jobs_total');
    const good = basic('prom', 'sécret');
    expect((await respond({ authorization: good })).status).toBe(200);
    expect((await respond({ authorization: good.toLowerCase() })).status).toBe(401);
    expect((await respond({ authorization: `basic ${good.slice(6)}` })).status).toBe(200);
    expect((await respond({ authorization: `Bearer ${good.slice(6)}` })).status).toBe(401);
    expect((await respond({ authorization: basic('prom', 'sécret2') })).status).toBe(401);
    expect((await respond({ authorization: basic('pro', 'm:sécret') })).status).toBe(401);
    expect((await respond({ authorization: 'Basic !!!' })).status).toBe(401);
  });

  it('checks a bearer token or asks a function', async () => {
    const bearer = metricsResponder({
      registry: registryWithOneCounter(),
      auth: { bearer: 't0k' },
    });
    expect((await bearer({ authorization: 'Bearer t0k' })).status).toBe(200);
    expect((await bearer({ authorization: 'Bearer t0k0' })).status).toBe(401);
    const refused = await bearer({ authorization: 'Bearer' });
    expect(refused.status).toBe(401);
    expect(refused.headers['WWW-Authenticate']).toBe('Bearer realm="metrics"');
    const custom = metricsResponder({
      registry: registryWithOneCounter(),
      auth: async (header) => header === 'let-me-in',
    });
    expect((await custom({ authorization: 'let-me-in' })).status).toBe(200);
    expect((await custom({ authorization: null })).status).toBe(401);
  });

  it('rejects auth it cannot check, naming the value', () => {
    expect(() => metricsResponder({ auth: { bearer: '' } })).toThrow(ConfigError);
    expect(() => metricsResponder({ auth: {} as never })).toThrow(ConfigError);
    expect(() => metricsResponder({ auth: { username: 'a:b', password: 'x' } })).toThrow(
      'a Basic auth user name cannot contain ":", got "a:b"',
    );
    expect(() => metricsResponder({ auth: { bearer: 'x' }, realm: 'say "hi"' })).toThrow(
      ConfigError,
    );
  });

  it('reads Basic credentials for custom checks', () => {
    expect(basicCredentials(basic('prom', 'pa:ss'))).toEqual({
      username: 'prom',
      password: 'pa:ss',
    });
    expect(basicCredentials('Bearer x')).toBeUndefined();
    expect(basicCredentials(undefined)).toBeUndefined();
    // Not read as a byte order mark: a leading U+FEFF is part of the user name as sent.
    expect(basicCredentials(basic('\uFEFFprom', 'pw'))).toEqual({
      username: '\uFEFFprom',
      password: 'pw',
    });
  });
});

describe('metricsResponder failures', () => {
  it('answers 503 with Retry-After for StoreUnavailableError', async () => {
    const down = metricsResponder({
      registry: {
        collect: () => Promise.reject(new StoreUnavailableError('Redis is unreachable')),
      },
    });
    const answer = await down({ accept: 'text/plain' });
    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toBe('5');
    expect(text(answer)).toContain('Redis is unreachable');
  });

  it('maps any other failure to a generic 500 and reports it through onError, never rejecting', async () => {
    const seen: unknown[] = [];
    const broken = metricsResponder({
      registry: { collect: () => Promise.reject(new Error('bug with secret detail')) },
      onError: (error) => {
        seen.push(error);
        throw new Error('the reporter fails too');
      },
    });
    const answer = await broken({});
    expect(answer.status).toBe(500);
    expect(text(answer)).toBe('Internal Server Error\n');
    expect((seen[0] as Error).message).toBe('bug with secret detail');
    const throwingAuth = metricsResponder({
      registry: registryWithOneCounter(),
      auth: () => {
        throw new Error('auth backend down');
      },
      onError: (error) => seen.push(error),
    });
    expect((await throwingAuth({ authorization: 'x' })).status).toBe(500);
    expect((seen[1] as Error).message).toBe('auth backend down');
  });
});
