import { Counter, Registry } from '@promkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Service } from '../src/index';
import { rawRequest } from './helpers/http-request';
import { makeCertificates, type TestCertificates } from './helpers/make-certs';

let certs: TestCertificates;

function makeRegistry(): Registry {
  const registry = new Registry();
  new Counter('tls_scrapes_total', 'Scrapes.', { registry }).inc(7);
  return registry;
}

beforeAll(() => {
  certs = makeCertificates();
});

describe('Service over TLS', () => {
  let service: Service;

  beforeAll(async () => {
    service = new Service({
      registry: makeRegistry(),
      tls: { key: certs.serverKey, cert: certs.serverCert },
    });
    await service.start({ host: '127.0.0.1' });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('reports an https URL', () => {
    expect(service.metricsUrl).toBe(`https://127.0.0.1:${service.port}/metrics`);
  });

  it('is trusted by a client that has the CA', async () => {
    const res = await rawRequest(service.metricsUrl, { tls: { ca: certs.ca } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body.toString()).toContain('tls_scrapes_total 7');
  });

  it('is rejected by a client without the CA', async () => {
    await expect(rawRequest(service.metricsUrl)).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    await expect(
      rawRequest(service.metricsUrl, { tls: { ca: certs.otherCa } }),
    ).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('refuses a plain-HTTP client', async () => {
    const plain = service.metricsUrl.replace('https:', 'http:');
    await expect(rawRequest(plain)).rejects.toThrow();
  });
});

describe('Service with client-certificate verification', () => {
  let service: Service;

  beforeAll(async () => {
    service = new Service({
      registry: makeRegistry(),
      tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestClientCert: true },
    });
    await service.start({ host: '127.0.0.1' });
  });
  afterAll(async () => {
    await service.stop();
  });

  it('accepts a client certificate signed by the CA', async () => {
    const res = await rawRequest(service.metricsUrl, {
      tls: { ca: certs.ca, key: certs.clientKey, cert: certs.clientCert },
    });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toContain('tls_scrapes_total 7');
  });

  it('rejects a client without a certificate', async () => {
    const error = await rawRequest(service.metricsUrl, { tls: { ca: certs.ca } }).catch((e) => e);
    // The server's alert usually arrives first; a reset when the socket closes before it.
    expect(['ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED', 'ECONNRESET']).toContain(error?.code);
  });

  it('rejects a client certificate from another CA', async () => {
    const error = await rawRequest(service.metricsUrl, {
      tls: { ca: certs.ca, key: certs.otherClientKey, cert: certs.otherClientCert },
    }).catch((e) => e);
    expect(['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'ECONNRESET']).toContain(error?.code);
  });
});
