import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PrometheusHandle,
  sampleValue,
  startPrometheus,
  WaitTimeoutError,
} from '../src/index';
import { prometheusConfig } from '../src/prometheus-config';

let target: Server;
let prom: PrometheusHandle;

beforeAll(async () => {
  target = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
    res.end('# HELP x A test gauge.\n# TYPE x gauge\nx 1\n');
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  const { port } = target.address() as AddressInfo;
  prom = await startPrometheus({ targets: [`127.0.0.1:${port}`] });
});

afterAll(async () => {
  await prom?.stop();
  await new Promise((resolve) => target?.close(resolve));
});

describe('startPrometheus', () => {
  it('is ready on its loopback url', async () => {
    expect(prom.url).toBe(`http://127.0.0.1:${prom.port}`);
    const response = await fetch(`${prom.url}/-/ready`);
    expect(response.status).toBe(200);
  });

  it('scrapes the target and reads the value back', async () => {
    const result = await prom.waitFor('x');
    expect(result).toHaveLength(1);
    expect(result[0]?.metric).toMatchObject({ __name__: 'x', job: 'promkit' });
    expect(sampleValue(result[0]!)).toBe(1);
  });

  it('reports the target healthy with no scrape error', async () => {
    await prom.waitFor('up == 1');
    const [target] = await prom.targets();
    expect(target).toMatchObject({ health: 'up', lastError: '' });
    expect(target?.scrapeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(target?.labels.job).toBe('promkit');
  });

  it('serves the scraped metadata', async () => {
    await prom.waitFor('x');
    const metadata = await prom.metadata('x');
    expect(metadata.x?.[0]).toMatchObject({ type: 'gauge', help: 'A test gauge.' });
  });

  it('returns the raw JSON of a scalar query', async () => {
    const raw = await prom.queryRaw('1 + 1');
    expect(raw.status).toBe('success');
    expect(raw.data?.resultType).toBe('scalar');
  });

  it('times out with the last result and the target state in the error', async () => {
    const error = await prom.waitFor('x', (r) => sampleValue(r[0]!) === 2, 600).catch((e) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toContain('"value"');
    expect(error.message).toContain('health=up');
  });
});

describe('prometheus config', () => {
  it('writes scheme, tls and auth settings only when asked', () => {
    const plain = JSON.parse(prometheusConfig({ targets: ['a:1'] }));
    expect(plain.global).toEqual({
      scrape_interval: '1s',
      scrape_timeout: '1s',
      evaluation_interval: '1s',
    });
    expect(plain.scrape_configs[0]).toEqual({
      job_name: 'promkit',
      metrics_path: '/metrics',
      scheme: 'http',
      static_configs: [{ targets: ['a:1'] }],
    });
    const secured = JSON.parse(
      prometheusConfig({
        targets: ['a:1'],
        scheme: 'https',
        tlsInsecure: true,
        basicAuth: { username: 'u', password: 'p"w' },
        metricsPath: '/m',
        scrapeIntervalSeconds: 2,
      }),
    );
    expect(secured.scrape_configs[0]).toMatchObject({
      metrics_path: '/m',
      scheme: 'https',
      tls_config: { insecure_skip_verify: true },
      basic_auth: { username: 'u', password: 'p"w' },
    });
    expect(secured.global.scrape_interval).toBe('2s');
    const bearer = JSON.parse(prometheusConfig({ targets: ['a:1'], bearerToken: 't' }));
    expect(bearer.scrape_configs[0].authorization).toEqual({ type: 'Bearer', credentials: 't' });
  });
});
