import { readFile } from 'node:fs/promises';
import type { ServerOptions } from 'node:https';
import { createSecureContext } from 'node:tls';
import { OptionError, StartupError } from '../errors';

export interface TlsFiles {
  readonly privateKey: string | undefined;
  readonly publicKey: string | undefined;
  readonly ca: string | undefined;
}

/**
 * Reads the PEM files and returns HTTPS server options, or `undefined` for plain HTTP.
 * With a CA, clients must present a certificate that CA signed: unlike
 * prometheus-aioexporter, which loads the CA and never asks for a client certificate.
 */
export async function loadTls(files: TlsFiles): Promise<ServerOptions | undefined> {
  const { privateKey, publicKey, ca } = files;
  if (privateKey === undefined && publicKey === undefined) {
    if (ca !== undefined) {
      throw new OptionError('--ssl-ca needs --ssl-private-key and --ssl-public-key (HTTPS)');
    }
    return undefined;
  }
  if (privateKey === undefined || publicKey === undefined) {
    throw new OptionError('--ssl-private-key and --ssl-public-key must be given together');
  }
  const options: ServerOptions = {
    key: await readPem('--ssl-private-key', privateKey),
    cert: await readPem('--ssl-public-key', publicKey),
  };
  if (ca !== undefined) {
    options.ca = await readPem('--ssl-ca', ca);
    options.requestCert = true;
    options.rejectUnauthorized = true;
  }
  try {
    createSecureContext(options);
  } catch (error) {
    throw new StartupError(`invalid TLS key, certificate or CA: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return options;
}

async function readPem(flag: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new StartupError(`cannot read ${flag} file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
