import { decodeProtobuf } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import { ConfigError, StoreUnavailableError } from '../src/errors';
import { metricsResponder } from '../src/http/metrics-response';
import { Counter } from '../src/metrics/counter';
import { Registry } from '../src/registry';

function registryWithOneCounter(): Registry {
  const registry = new Registry();
  new Counter('jobs_total', 'Jobs run.', { registry }).inc(3);
  return registry;
}

describe('metricsResponder', () => {
  it('negotiates text, OpenMetrics and protobuf with the matching Content-Type', async () => {
    const respond = metricsResponder({ registry: registryWithOneCounter() });
    const text = await respond(undefined);
    expect(text.status).toBe(200);
    expect(text.headers['Content-Type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(text.body).toContain('jobs_total 3\n');
    const om = await respond('application/openmetrics-text;version=1.0.0');
    expect(om.headers['Content-Type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(om.body).toMatch(/# EOF\n$/);
    const pb = await respond(
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    );
    expect(pb.headers['Content-Type']).toMatch(/^application\/vnd\.google\.protobuf/);
    expect(pb.body).toBeInstanceOf(Uint8Array);
  });

  it('writes OpenMetrics _created samples only with openMetricsCreated; protobuf always keeps the field', async () => {
    const registry = registryWithOneCounter();
    const om = 'application/openmetrics-text;version=1.0.0';
    const plain = await metricsResponder({ registry })(om);
    expect(plain.body).toContain('jobs_total 3\n');
    expect(plain.body).not.toContain('_created');
    const created = await metricsResponder({ registry, openMetricsCreated: true })(om);
    expect(created.body).toMatch(/\njobs_created \d+(\.\d+)?\n/);
    const text = await metricsResponder({ registry, openMetricsCreated: true })(undefined);
    expect(text.body).not.toContain('_created');
    const pb = await metricsResponder({ registry })(
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    );
    const [family] = decodeProtobuf(pb.body as Uint8Array);
    expect(family?.metrics[0]?.createdTimestamp).toBeGreaterThan(1_700_000_000);
  });

  it('asks for Basic credentials and answers only the right ones', async () => {
    const respond = metricsResponder({
      registry: registryWithOneCounter(),
      auth: { username: 'prom', password: 'sécret' },
    });
    const missing = await respond(undefined);
    expect(missing.status).toBe(401);
    expect(missing.headers['WWW-Authenticate']).toMatch(/^Basic realm="metrics"/);
    expect(missing.body).not.toContain('jobs_total');
    const good = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode('prom:sécret')))}`;
    expect((await respond(undefined, good)).status).toBe(200);
    expect((await respond(undefined, good.toLowerCase())).status).toBe(401);
    expect((await respond(undefined, `basic ${good.slice(6)}`)).status).toBe(200);
    expect((await respond(undefined, `Bearer ${good.slice(6)}`)).status).toBe(401);
  });

  it('checks a bearer token or asks a function', async () => {
    const bearer = metricsResponder({
      registry: registryWithOneCounter(),
      auth: { bearer: 't0k' },
    });
    expect((await bearer(undefined, 'Bearer t0k')).status).toBe(200);
    expect((await bearer(undefined, 'Bearer t0k0')).status).toBe(401);
    expect((await bearer(undefined, 'Bearer')).status).toBe(401);
    const custom = metricsResponder({
      registry: registryWithOneCounter(),
      auth: async (header) => header === 'let-me-in',
    });
    expect((await custom(undefined, 'let-me-in')).status).toBe(200);
    expect((await custom(undefined, null)).status).toBe(401);
  });

  it('rejects auth it cannot check', () => {
    expect(() => metricsResponder({ auth: { bearer: '' } })).toThrow(ConfigError);
    expect(() => metricsResponder({ auth: {} as never })).toThrow(ConfigError);
  });
});

describe('metricsResponder when the store is down', () => {
  it('answers 503 with Retry-After for StoreUnavailableError and re-throws anything else', async () => {
    const down = metricsResponder({
      registry: {
        collect: () => Promise.reject(new StoreUnavailableError('Redis is unreachable')),
      },
    });
    const answer = await down('text/plain');
    expect(answer.status).toBe(503);
    expect(answer.headers['Retry-After']).toBe('5');
    expect(answer.body).toContain('Redis is unreachable');
    const broken = metricsResponder({
      registry: { collect: () => Promise.reject(new Error('bug')) },
    });
    await expect(broken('text/plain')).rejects.toThrow('bug');
  });
});
