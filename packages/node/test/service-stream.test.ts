import { gunzipSync } from 'node:zlib';
import { Counter, Registry, render } from '@promkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Service } from '../src/index';
import { rawRequest } from './helpers/http-request';

const SERIES = 30_000;

describe('Service with a large page', () => {
  const registry = new Registry();
  const events = new Counter('events_total', 'Events.', {
    registry,
    labelNames: ['id'] as const,
    maxSeries: SERIES,
  });
  for (let i = 0; i < SERIES; i++) events.inc({ id: `${i}` }, i);
  const service = new Service({ registry });
  beforeAll(async () => {
    await service.start({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('streams it chunked (and gzipped), never with a Content-Length', async () => {
    const expected = (await render(registry)).body as string;
    const plain = await rawRequest(service.metricsUrl);
    expect(plain.status).toBe(200);
    expect(plain.headers['transfer-encoding']).toBe('chunked');
    expect(plain.headers['content-length']).toBeUndefined();
    expect(plain.body.toString()).toBe(expected);
    const zipped = await rawRequest(service.metricsUrl, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['transfer-encoding']).toBe('chunked');
    expect(gunzipSync(zipped.body).toString()).toBe(expected);
  });

  it('answers HEAD with a Content-Length and no body', async () => {
    const head = await rawRequest(service.metricsUrl, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(Number(head.headers['content-length'])).toBe(
      Buffer.byteLength((await render(registry)).body),
    );
  });
});
