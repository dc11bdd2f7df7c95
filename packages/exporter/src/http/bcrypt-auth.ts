import { createHash } from 'node:crypto';
import { basicCredentials } from '@promkit/core';
import bcrypt from 'bcryptjs';

/** How long a successful check is remembered (exporter-toolkit caches them too). */
const CACHE_TTL_MS = 60_000;
const CACHE_MAX_ENTRIES = 100;
// Compared against when the user is unknown, so an unknown user costs as much as a wrong password.
const DUMMY_HASH = '$2b$10$QOauhQNbBCuQDKes6eFzPeMqBSjb7Mr5DUmpZ/VcEd00UAV/LDeSi';

/**
 * The check for `basic_auth_users`: Basic credentials against bcrypt hashes. bcrypt is
 * slow by design (tens of milliseconds a check), so a success is cached for a minute by
 * (user, SHA-256 of the password): a scraper every few seconds pays once a minute.
 */
export function bcryptAuth(
  users: ReadonlyMap<string, string>,
  now: () => number = Date.now,
): (authorization: string | undefined) => Promise<boolean> {
  const passed = new Map<string, number>();
  return async function checkBcryptUser(authorization) {
    const credentials = basicCredentials(authorization);
    if (credentials === undefined) return false;
    const { username, password } = credentials;
    const key = `${username}\0${createHash('sha256').update(password, 'utf8').digest('hex')}`;
    const until = passed.get(key);
    if (until !== undefined && until > now()) return true;
    const hash = users.get(username);
    const matches = await bcrypt.compare(password, hash ?? DUMMY_HASH);
    if (!matches || hash === undefined) return false;
    passed.delete(key);
    if (passed.size >= CACHE_MAX_ENTRIES) passed.delete(passed.keys().next().value as string);
    passed.set(key, now() + CACHE_TTL_MS);
    return true;
  };
}
