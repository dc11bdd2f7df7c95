import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError, type MetricsAuth } from '@promkit/core';

/** Decides whether an `Authorization` header is acceptable; built once per service. */
export interface AuthCheck {
  isAuthorized(header: string | undefined): boolean | Promise<boolean>;
  /** The `WWW-Authenticate` value of a 401 answer. */
  readonly challenge: string;
}

// Digests have one length whatever the secret's length, so comparing them with
// timingSafeEqual leaks neither the secret nor its length.
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Splits `Scheme credentials`; undefined unless the scheme is `scheme` (any case). */
function credentialsFor(header: string | undefined, scheme: string): string | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space <= 0 || header.slice(0, space).toLowerCase() !== scheme) return undefined;
  return header.slice(space + 1).trim();
}

/**
 * The check for core's `MetricsAuth` (the shape every promkit metrics endpoint takes):
 * `{ username, password }` (Basic), `{ bearer }`, or a function of the header.
 * Secrets are compared as SHA-256 digests with `crypto.timingSafeEqual`.
 */
export function createAuthCheck(
  auth: MetricsAuth | undefined,
  realm = 'metrics',
): AuthCheck | undefined {
  if (auth === undefined) return undefined;
  const safeRealm = realm.replace(/["\\]/g, '');
  if (typeof auth === 'function') {
    return { challenge: `Basic realm="${safeRealm}"`, isAuthorized: (header) => auth(header) };
  }
  if ('bearer' in auth) {
    if (typeof auth.bearer !== 'string' || auth.bearer === '') {
      throw new ConfigError('Service: auth.bearer must be a non-empty string');
    }
    const expected = digest(auth.bearer);
    return {
      challenge: `Bearer realm="${safeRealm}"`,
      isAuthorized(header) {
        const token = credentialsFor(header, 'bearer');
        return token !== undefined && timingSafeEqual(expected, digest(token));
      },
    };
  }
  if (typeof auth.username !== 'string' || typeof auth.password !== 'string') {
    throw new ConfigError(
      'Service: auth needs { username, password } strings, { bearer } or a function',
    );
  }
  if (auth.username.includes(':')) {
    throw new ConfigError(
      `Service: a basic auth username cannot contain ":", got ${JSON.stringify(auth.username)}`,
    );
  }
  const userDigest = digest(auth.username);
  const passwordDigest = digest(auth.password);
  return {
    challenge: `Basic realm="${safeRealm}", charset="UTF-8"`,
    isAuthorized(header) {
      const encoded = credentialsFor(header, 'basic');
      if (encoded === undefined) return false;
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon === -1) return false;
      // Both comparisons always run: no early exit reveals which half was wrong.
      const userOk = timingSafeEqual(userDigest, digest(decoded.slice(0, colon)));
      const passwordOk = timingSafeEqual(passwordDigest, digest(decoded.slice(colon + 1)));
      return userOk && passwordOk;
    },
  };
}
