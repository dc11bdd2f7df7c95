import type { RequestOptions } from 'node:https';
import { Counter, Registry } from '@promkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClientAuthType, Service } from '../src/index';
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

describe('Service client certificate policies (Go ClientAuthType names)', () => {
  type Outcome = 'ok' | 'refused';
  // [policy, no certificate, certificate from the CA, certificate from another CA]
  const table: Array<[ClientAuthType, Outcome, Outcome, Outcome]> = [
    ['NoClientCert', 'ok', 'ok', 'ok'],
    ['RequestClientCert', 'ok', 'ok', 'ok'],
    ['RequireAnyClientCert', 'refused', 'ok', 'ok'],
    ['VerifyClientCertIfGiven', 'ok', 'ok', 'refused'],
    ['RequireAndVerifyClientCert', 'refused', 'ok', 'refused'],
  ];

  async function outcome(url: string, client: RequestOptions): Promise<Outcome> {
    try {
      const res = await rawRequest(url, { tls: { ca: certs.ca, ...client } });
      return res.status === 200 ? 'ok' : 'refused';
    } catch {
      return 'refused';
    }
  }

  for (const [clientAuth, none, signed, stranger] of table) {
    it(`${clientAuth}: no cert ${none}, CA-signed ${signed}, other CA ${stranger}`, async () => {
      const refusals: string[] = [];
      const service = new Service({
        registry: makeRegistry(),
        tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, clientAuth },
        onTlsClientError: (error) => refusals.push(error.reason ?? error.message),
      });
      await service.start({ host: '127.0.0.1' });
      try {
        const url = service.metricsUrl;
        expect(await outcome(url, {})).toBe(none);
        expect(await outcome(url, { key: certs.clientKey, cert: certs.clientCert })).toBe(signed);
        expect(await outcome(url, { key: certs.otherClientKey, cert: certs.otherClientCert })).toBe(
          stranger,
        );
        const expectedRefusals = [none, signed, stranger].filter((o) => o === 'refused').length;
        expect(refusals).toHaveLength(expectedRefusals);
      } finally {
        await service.stop();
      }
    });
  }

  it('needs a CA for the verifying policies', () => {
    expect(
      () =>
        new Service({
          tls: {
            key: certs.serverKey,
            cert: certs.serverCert,
            clientAuth: 'VerifyClientCertIfGiven',
          },
        }),
    ).toThrow(/needs tls\.ca/);
    expect(
      () =>
        new Service({
          tls: { key: certs.serverKey, cert: certs.serverCert, clientAuth: 'Sometimes' as never },
        }),
    ).toThrow(/got "Sometimes"/);
  });
});
