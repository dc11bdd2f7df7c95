import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { ServiceTlsOptions } from '@promkit/node';
import { OptionError, StartupError } from '../errors';
import type { WebTlsConfig } from './web-config';

export interface TlsFiles {
  readonly privateKey: string | undefined;
  readonly publicKey: string | undefined;
  readonly ca: string | undefined;
}

/**
 * Reads the `--ssl-*` PEM files and returns the Service's TLS options, or `undefined`
 * for plain HTTP. With a CA, clients must present a certificate that CA signed: unlike
 * prometheus-aioexporter, which loads the CA and never asks for a client certificate.
 */
export async function loadTls(files: TlsFiles): Promise<ServiceTlsOptions | undefined> {
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
  return checked({
    key: await readPem('--ssl-private-key', privateKey),
    cert: await readPem('--ssl-public-key', publicKey),
    ...(ca === undefined
      ? {}
      : { ca: await readPem('--ssl-ca', ca), clientAuth: 'RequireAndVerifyClientCert' as const }),
  });
}

/** The Service's TLS options from the web configuration file's `tls_server_config`. */
export async function loadWebTls(config: WebTlsConfig): Promise<ServiceTlsOptions> {
  const field = (name: string): string => `--web.config.file tls_server_config.${name}`;
  return checked({
    key: await readPem(field('key_file'), config.keyFile),
    cert: await readPem(field('cert_file'), config.certFile),
    ...(config.clientCaFile === undefined
      ? {}
      : { ca: await readPem(field('client_ca_file'), config.clientCaFile) }),
    clientAuth: config.clientAuthType,
    ...(config.minVersion === undefined ? {} : { minVersion: config.minVersion }),
    ...(config.maxVersion === undefined ? {} : { maxVersion: config.maxVersion }),
  });
}

function checked(options: ServiceTlsOptions): ServiceTlsOptions {
  try {
    createSecureContext({
      key: options.key,
      cert: options.cert,
      ...(options.ca === undefined ? {} : { ca: options.ca as Buffer }),
      ...(options.minVersion === undefined ? {} : { minVersion: options.minVersion }),
      ...(options.maxVersion === undefined ? {} : { maxVersion: options.maxVersion }),
    });
  } catch (error) {
    throw new StartupError(`invalid TLS key, certificate or CA: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return options;
}

async function readPem(what: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new StartupError(`cannot read ${what} file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
