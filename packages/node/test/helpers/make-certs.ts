import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTestCerts } from '@promkit/testkit';

/** testkit's certificates, read into memory as the Service's `tls` option takes them. */
export interface TestCertificates {
  /** A CA that signed the server and client certificates. */
  ca: Buffer;
  serverKey: Buffer;
  /** For 127.0.0.1, ::1 and localhost. */
  serverCert: Buffer;
  clientKey: Buffer;
  clientCert: Buffer;
  /** A second, unrelated CA (and a client certificate it signed). */
  otherCa: Buffer;
  otherClientKey: Buffer;
  otherClientCert: Buffer;
}

export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'promkit-tls-'));
  try {
    const files = makeTestCerts(dir);
    return {
      ca: readFileSync(files.caCert),
      serverKey: readFileSync(files.serverKey),
      serverCert: readFileSync(files.serverCert),
      clientKey: readFileSync(files.clientKey),
      clientCert: readFileSync(files.clientCert),
      otherCa: readFileSync(join(dir, 'other-ca.crt')),
      otherClientKey: readFileSync(files.strangerKey),
      otherClientCert: readFileSync(files.strangerCert),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
