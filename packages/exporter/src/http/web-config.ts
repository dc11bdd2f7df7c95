import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { SecureVersion } from 'node:tls';
import { CLIENT_AUTH_TYPES, type ClientAuthType } from '@promkit/node';
import { parse } from 'yaml';
import { StartupError } from '../errors';

/** `tls_server_config` of Prometheus' web configuration file, paths made absolute. */
export interface WebTlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCaFile: string | undefined;
  readonly clientAuthType: ClientAuthType;
  readonly minVersion: SecureVersion | undefined;
  readonly maxVersion: SecureVersion | undefined;
}

/** What `--web.config.file` holds: TLS settings and bcrypt-hashed Basic auth users. */
export interface WebConfig {
  readonly tls: WebTlsConfig | undefined;
  /** User name → bcrypt hash. */
  readonly basicAuthUsers: ReadonlyMap<string, string> | undefined;
}

const TOP_FIELDS = new Set(['tls_server_config', 'basic_auth_users']);
const TLS_FIELDS = new Set([
  'cert_file',
  'key_file',
  'client_ca_file',
  'client_auth_type',
  'min_version',
  'max_version',
]);
/** Go's names (crypto/tls) → Node's. */
const TLS_VERSIONS: Readonly<Record<string, SecureVersion>> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};
/** `$2a$`, `$2b$` or `$2y$`, a two-digit cost, 53 characters of salt and hash. */
const BCRYPT_HASH = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

/**
 * Reads the web configuration file Go exporters take (exporter-toolkit's format) and
 * checks every field; relative paths are relative to the file. A problem is a
 * `StartupError` naming the file and the field.
 */
export async function loadWebConfig(path: string): Promise<WebConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new StartupError(`cannot read --web.config.file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const fail = (field: string, problem: string): never => {
    throw new StartupError(`--web.config.file ${path}: ${field}: ${problem}`);
  };
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new StartupError(
      `--web.config.file ${path}: not valid YAML: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (document === null || document === undefined) {
    return { tls: undefined, basicAuthUsers: undefined };
  }
  const top = mapping(document, '(top level)', fail);
  for (const key of Object.keys(top)) {
    if (!TOP_FIELDS.has(key)) fail(key, 'unknown or unsupported field');
  }
  const base = dirname(resolve(path));
  return {
    tls: top.tls_server_config == null ? undefined : tlsConfig(top.tls_server_config, base, fail),
    basicAuthUsers:
      top.basic_auth_users == null ? undefined : basicAuthUsers(top.basic_auth_users, fail),
  };
}

type Fail = (field: string, problem: string) => never;

function mapping(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(field, `expected a mapping, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function optionalString(value: unknown, field: string, fail: Fail): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    return fail(field, `expected a string, got ${JSON.stringify(value)}`);
  return value;
}

function tlsConfig(value: unknown, base: string, fail: Fail): WebTlsConfig {
  const tls = mapping(value, 'tls_server_config', fail);
  for (const key of Object.keys(tls)) {
    if (!TLS_FIELDS.has(key)) fail(`tls_server_config.${key}`, 'unknown or unsupported field');
  }
  const field = (name: string): string | undefined =>
    optionalString(tls[name], `tls_server_config.${name}`, fail);
  const certFile = field('cert_file') ?? fail('tls_server_config.cert_file', 'missing');
  const keyFile = field('key_file') ?? fail('tls_server_config.key_file', 'missing');
  const clientCaFile = field('client_ca_file');
  const authName = field('client_auth_type') ?? 'NoClientCert';
  if (!(CLIENT_AUTH_TYPES as readonly string[]).includes(authName)) {
    fail(
      'tls_server_config.client_auth_type',
      `expected one of ${CLIENT_AUTH_TYPES.join(', ')}, got ${JSON.stringify(authName)}`,
    );
  }
  const clientAuthType = authName as ClientAuthType;
  if (clientCaFile !== undefined && clientAuthType === 'NoClientCert') {
    fail(
      'tls_server_config.client_ca_file',
      'a client CA is configured but client_auth_type is NoClientCert (set a client auth policy)',
    );
  }
  const verifies =
    clientAuthType === 'VerifyClientCertIfGiven' || clientAuthType === 'RequireAndVerifyClientCert';
  if (verifies && clientCaFile === undefined) {
    fail(
      'tls_server_config.client_ca_file',
      `missing: client_auth_type ${clientAuthType} verifies client certificates against it`,
    );
  }
  const version = (name: string): SecureVersion | undefined => {
    const given = field(name);
    if (given === undefined) return undefined;
    return (
      TLS_VERSIONS[given] ??
      fail(
        `tls_server_config.${name}`,
        `expected one of ${Object.keys(TLS_VERSIONS).join(', ')}, got ${JSON.stringify(given)}`,
      )
    );
  };
  return {
    certFile: resolve(base, certFile),
    keyFile: resolve(base, keyFile),
    clientCaFile: clientCaFile === undefined ? undefined : resolve(base, clientCaFile),
    clientAuthType,
    minVersion: version('min_version'),
    maxVersion: version('max_version'),
  };
}

function basicAuthUsers(value: unknown, fail: Fail): Map<string, string> {
  const users = mapping(value, 'basic_auth_users', fail);
  const result = new Map<string, string>();
  for (const [user, hash] of Object.entries(users)) {
    const field = `basic_auth_users.${user}`;
    if (user.includes(':'))
      fail(field, `a Basic auth user name cannot contain ":", got ${JSON.stringify(user)}`);
    if (typeof hash !== 'string' || !BCRYPT_HASH.test(hash)) {
      fail(
        field,
        'expected a bcrypt hash ($2a$, $2b$ or $2y$, e.g. from htpasswd -nBC 10 "" | tr -d \':\\n\')',
      );
    }
    result.set(user, hash as string);
  }
  return result;
}
