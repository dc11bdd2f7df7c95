import type { ServerOptions } from 'node:https';
import type { SecureVersion, TLSSocket } from 'node:tls';
import { ConfigError } from '@promkit/core';

/** PEM text or bytes, as `node:tls` takes them. */
export type Pem = string | Buffer;

/**
 * Whether and how clients must present a certificate: the names (and meaning) of Go's
 * `tls.ClientAuthType`, as Prometheus' web configuration file spells them.
 */
export type ClientAuthType =
  | 'NoClientCert'
  | 'RequestClientCert'
  | 'RequireAnyClientCert'
  | 'VerifyClientCertIfGiven'
  | 'RequireAndVerifyClientCert';

export const CLIENT_AUTH_TYPES: readonly ClientAuthType[] = [
  'NoClientCert',
  'RequestClientCert',
  'RequireAnyClientCert',
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
];

export interface ServiceTlsOptions {
  /** Private key (PEM). */
  readonly key: Pem;
  /** Certificate chain (PEM). */
  readonly cert: Pem;
  /** CA certificates that client certificates must chain to (PEM). */
  readonly ca?: Pem | readonly Pem[];
  /** Shorthand for `clientAuth: 'RequireAndVerifyClientCert'`. */
  readonly requestClientCert?: boolean;
  /** Client certificate policy. Default `NoClientCert` (or as `requestClientCert` says). */
  readonly clientAuth?: ClientAuthType;
  readonly minVersion?: SecureVersion;
  readonly maxVersion?: SecureVersion;
}

export interface ResolvedTls {
  readonly serverOptions: ServerOptions;
  /** Why a handshaken client must be dropped, or undefined to keep it. */
  refuse(socket: TLSSocket): string | undefined;
}

const VERIFYING: ReadonlySet<ClientAuthType> = new Set([
  'VerifyClientCertIfGiven',
  'RequireAndVerifyClientCert',
]);

/** Turns the options into `node:https` server options plus the checks node's TLS lacks. */
export function resolveTls(tls: ServiceTlsOptions): ResolvedTls {
  const clientAuth: ClientAuthType =
    tls.clientAuth ??
    (tls.requestClientCert === true ? 'RequireAndVerifyClientCert' : 'NoClientCert');
  if (!CLIENT_AUTH_TYPES.includes(clientAuth)) {
    throw new ConfigError(
      `Service: tls.clientAuth must be one of ${CLIENT_AUTH_TYPES.join(', ')}, got ${JSON.stringify(clientAuth)}`,
    );
  }
  if (VERIFYING.has(clientAuth) && tls.ca === undefined) {
    throw new ConfigError(
      `Service: tls.clientAuth ${clientAuth} needs tls.ca to verify client certificates`,
    );
  }
  const serverOptions: ServerOptions = {
    key: tls.key,
    cert: tls.cert,
    ...(tls.ca === undefined ? {} : { ca: tls.ca as Pem | Pem[] }),
    ...(tls.minVersion === undefined ? {} : { minVersion: tls.minVersion }),
    ...(tls.maxVersion === undefined ? {} : { maxVersion: tls.maxVersion }),
    requestCert: clientAuth !== 'NoClientCert',
    // Only this mode can be left to OpenSSL; the lenient ones are checked after the handshake.
    rejectUnauthorized: clientAuth === 'RequireAndVerifyClientCert',
  };
  return {
    serverOptions,
    refuse(socket) {
      if (clientAuth === 'NoClientCert' || clientAuth === 'RequestClientCert') return undefined;
      const cert = socket.getPeerCertificate();
      const given = cert !== null && cert !== undefined && Object.keys(cert).length > 0;
      if (clientAuth === 'RequireAnyClientCert') {
        return given ? undefined : 'peer did not return a certificate';
      }
      if (given && !socket.authorized) {
        return `client certificate not verified: ${String(socket.authorizationError)}`;
      }
      return undefined;
    },
  };
}
