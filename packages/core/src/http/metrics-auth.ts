import { ConfigError } from '../errors';

/**
 * Protects the metrics endpoint: HTTP Basic credentials, a bearer token, or a function
 * given the `Authorization` header that says whether to answer.
 */
export type MetricsAuth =
  | { readonly username: string; readonly password: string }
  | { readonly bearer: string }
  | ((authorization: string | undefined) => boolean | Promise<boolean>);

/** Decides whether an `Authorization` header may see the metrics; built once per endpoint. */
export interface AuthCheck {
  /** The `WWW-Authenticate` value of a 401 answer. */
  readonly challenge: string;
  allows(authorization: string | undefined): Promise<boolean>;
}

/** The user name and password of a `Basic` `Authorization` header. */
export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

const encoder = new TextEncoder();

/**
 * Builds the one credential check every promkit metrics endpoint uses. Secrets are
 * compared as SHA-256 digests (Web Crypto), byte by byte without an early exit: the time
 * taken depends neither on where a guess differs nor on the secret's length.
 */
export function createAuthCheck(
  auth: MetricsAuth | undefined,
  realm = 'metrics',
): AuthCheck | undefined {
  if (auth === undefined) return undefined;
  if (typeof realm !== 'string' || !isQuotable(realm)) {
    throw new ConfigError(
      `metrics auth: realm cannot hold quotes, backslashes or control characters, got ${JSON.stringify(realm)}`,
    );
  }
  if (typeof auth === 'function') {
    return {
      challenge: `Basic realm="${realm}"`,
      allows: async (header) => (await auth(header)) === true,
    };
  }
  if (typeof auth !== 'object' || auth === null) {
    throw new ConfigError(
      `metrics auth must be { username, password }, { bearer } or a function, got ${String(auth)}`,
    );
  }
  if ('bearer' in auth) {
    if (typeof auth.bearer !== 'string' || auth.bearer === '') {
      throw new ConfigError(
        `metrics auth: bearer must be a non-empty string, got ${JSON.stringify(auth.bearer)}`,
      );
    }
    const expected = sha256(encoder.encode(auth.bearer));
    return {
      challenge: `Bearer realm="${realm}"`,
      async allows(header) {
        const token = credentialsFor(header, 'bearer') ?? '';
        return sameDigest(await expected, await sha256(encoder.encode(token)));
      },
    };
  }
  const { username, password } = auth as Partial<BasicCredentials>;
  if (typeof username !== 'string' || typeof password !== 'string') {
    throw new ConfigError(
      'metrics auth must be { username, password } (strings), { bearer } or a function',
    );
  }
  if (username.includes(':')) {
    throw new ConfigError(
      `metrics auth: a Basic auth user name cannot contain ":", got ${JSON.stringify(username)}`,
    );
  }
  // The user name has no colon, so `user:password` is one unambiguous secret: one digest,
  // one comparison, nothing that tells which half was wrong.
  const expected = sha256(encoder.encode(`${username}:${password}`));
  return {
    challenge: `Basic realm="${realm}", charset="UTF-8"`,
    async allows(header) {
      const given = decodeBase64(credentialsFor(header, 'basic') ?? '');
      return sameDigest(await expected, await sha256(given));
    },
  };
}

// A leading U+FEFF is part of the user name: compared as sent, never dropped.
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Reads the user name and password of a `Basic` `Authorization` header; undefined for
 * another scheme or a malformed value.
 */
export function basicCredentials(header: string | null | undefined): BasicCredentials | undefined {
  const encoded = credentialsFor(header ?? undefined, 'basic');
  if (encoded === undefined) return undefined;
  const decoded = UTF8.decode(decodeBase64(encoded));
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Whether `text` fits in a quoted-string as is: no quote, backslash or control character. */
function isQuotable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f || code === 0x22 || code === 0x5c) return false;
  }
  return true;
}

/** Splits `Scheme credentials`; undefined unless the scheme is `scheme` (any case). */
function credentialsFor(header: string | undefined, scheme: string): string | undefined {
  if (header === undefined) return undefined;
  const space = header.indexOf(' ');
  if (space <= 0 || header.slice(0, space).toLowerCase() !== scheme) return undefined;
  return header.slice(space + 1).trim();
}

function decodeBase64(text: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return new Uint8Array(0);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

/** Digests have one length whatever the secret's, so this loop always runs 32 times. */
function sameDigest(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ (b[i] ?? 0);
  return diff === 0;
}
