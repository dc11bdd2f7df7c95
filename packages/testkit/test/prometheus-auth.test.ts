import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PrometheusHandle, sampleValue, startPrometheus } from '../src/index';

const BASIC = `Basic ${Buffer.from('scraper:s3cret').toString('base64')}`;
const BEARER = 'Bearer tok-123';

let target: Server;
let targetAddress: string;
let withBasic: PrometheusHandle;
let withBearer: PrometheusHandle;

beforeAll(async () => {
  target = createServer((req, res) => {
    const auth = req.headers.authorization;
    if (auth !== BASIC && auth !== BEARER) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(`# TYPE authed gauge\nauthed ${auth === BASIC ? 1 : 2}\n`);
  });
  await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetAddress = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  [withBasic, withBearer] = await Promise.all([
    startPrometheus({
      targets: [targetAddress],
      basicAuth: { username: 'scraper', password: 's3cret' },
    }),
    startPrometheus({ targets: [targetAddress], bearerToken: 'tok-123' }),
  ]);
});

afterAll(async () => {
  await Promise.all([withBasic?.stop(), withBearer?.stop()]);
  await new Promise((resolve) => target?.close(resolve));
});

describe('startPrometheus with scrape credentials', () => {
  it('scrapes a target behind basic auth', async () => {
    const [sample] = await withBasic.waitFor('authed');
    expect(sampleValue(sample!)).toBe(1);
  });

  it('scrapes a target behind a bearer token', async () => {
    const [sample] = await withBearer.waitFor('authed');
    expect(sampleValue(sample!)).toBe(2);
  });
});
