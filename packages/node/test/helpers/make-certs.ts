import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** A CA that signed the server and client certificates. */
  ca: Buffer;
  serverKey: Buffer;
  /** For 127.0.0.1 and localhost. */
  serverCert: Buffer;
  clientKey: Buffer;
  clientCert: Buffer;
  /** A second, unrelated CA (and a client certificate it signed). */
  otherCa: Buffer;
  otherClientKey: Buffer;
  otherClientCert: Buffer;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req',
    '-x509',
    ...EC_KEY,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-subj',
    `/CN=promkit ${name}`,
  ]);
}

function makeLeaf(dir: string, name: string, ca: string, extensions: string): void {
  openssl(dir, [
    'req',
    ...EC_KEY,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${name}`,
  ]);
  writeFileSync(join(dir, `${name}.ext`), extensions);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
  ]);
}

/** Generates a throwaway CA, server and client certificates with the `openssl` CLI. */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'promkit-tls-'));
  try {
    makeCa(dir, 'ca');
    makeCa(dir, 'other-ca');
    makeLeaf(
      dir,
      'server',
      'ca',
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    );
    makeLeaf(dir, 'client', 'ca', 'extendedKeyUsage=clientAuth\n');
    makeLeaf(dir, 'other-client', 'other-ca', 'extendedKeyUsage=clientAuth\n');
    const read = (file: string) => readFileSync(join(dir, file));
    return {
      ca: read('ca.crt'),
      serverKey: read('server.key'),
      serverCert: read('server.crt'),
      clientKey: read('client.key'),
      clientCert: read('client.crt'),
      otherCa: read('other-ca.crt'),
      otherClientKey: read('other-client.key'),
      otherClientCert: read('other-client.crt'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
