import { makeTestCerts, type TestCerts } from '@promkit/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, makeTmpDir, runToExit, spawnExporter } from './helpers/exporter-process';
import { httpsGet } from './helpers/https-get';

let certs: TestCerts;

beforeAll(() => {
  certs = makeTestCerts(makeTmpDir());
});
afterAll(cleanup);

function tlsArgs(withCa: boolean): string[] {
  const args = ['-H', '127.0.0.1', '-p', '0', '-L', 'debug'];
  args.push('--ssl-private-key', certs.serverKey, '--ssl-public-key', certs.serverCert);
  if (withCa) args.push('--ssl-ca', certs.caCert);
  return args;
}

describe('HTTPS', () => {
  it('serves over TLS with a key and certificate', async () => {
    const proc = spawnExporter(tlsArgs(false));
    const [url] = await proc.listening();
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await httpsGet(`${url}/metrics`, { caFile: certs.caCert });
    expect(answer.status).toBe(200);
    expect(answer.headers.server).toMatch(/^promkit-exporter-sample\//);
    expect(answer.body).toContain('sample_updates_total 1');
    // Plain HTTP is not served on an HTTPS port.
    await expect(fetch(`${url!.replace('https', 'http')}/metrics`)).rejects.toThrow();
    expect((await proc.stop()).code).toBe(0);
  });

  it('with --ssl-ca, verifies client certificates: none or a stranger is rejected', async () => {
    const proc = spawnExporter(tlsArgs(true));
    const [url] = await proc.listening();
    const metrics = `${url}/metrics`;

    const trusted = await httpsGet(metrics, {
      caFile: certs.caCert,
      certFile: certs.clientCert,
      keyFile: certs.clientKey,
    });
    expect(trusted.status).toBe(200);
    expect(trusted.body).toContain('# TYPE sample_updates_total counter');

    await expect(httpsGet(metrics, { caFile: certs.caCert })).rejects.toThrow(
      /certificate required/,
    );
    await expect(
      httpsGet(metrics, {
        caFile: certs.caCert,
        certFile: certs.strangerCert,
        keyFile: certs.strangerKey,
      }),
    ).rejects.toThrow(/unknown ca|socket hang up|ECONNRESET/);

    await proc.waitForLine(
      /^DEBUG TLS handshake failed remote=127\.0\.0\.1 error="peer did not return a certificate"$/,
    );
    expect((await proc.stop()).code).toBe(0);
  });
});

describe('TLS configuration failures exit 1', () => {
  it('an unreadable key file', async () => {
    const result = await runToExit([
      '-p',
      '0',
      '--ssl-private-key',
      '/nonexistent/server.key',
      '--ssl-public-key',
      certs.serverCert,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ERROR cannot read --ssl-private-key file \/nonexistent\/server.key: ENOENT: no such file or directory/,
    );
  });

  it('a key that does not match the certificate', async () => {
    const result = await runToExit([
      '-p',
      '0',
      '--ssl-private-key',
      certs.clientKey,
      '--ssl-public-key',
      certs.serverCert,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ERROR invalid TLS key, certificate or CA: .*key values mismatch/,
    );
  });

  it('a certificate without its key, and a CA without HTTPS', async () => {
    const half = await runToExit(['-p', '0', '--ssl-public-key', certs.serverCert]);
    expect(half.code).toBe(1);
    expect(half.stderr).toBe('ERROR --ssl-private-key and --ssl-public-key must be given together');
    const caOnly = await runToExit(['-p', '0', '--ssl-ca', certs.caCert]);
    expect(caOnly.code).toBe(1);
    expect(caOnly.stderr).toBe(
      'ERROR --ssl-ca needs --ssl-private-key and --ssl-public-key (HTTPS)',
    );
  });
});
