import type { MetricsAuth } from '@promkit/core';
import { OptionError } from '../errors';
import type { BuiltinArgs } from '../options/builtin-options';
import { bcryptAuth } from './bcrypt-auth';
import type { WebConfig } from './web-config';

/**
 * The one auth the metrics path gets, from whichever single source configures one:
 * `--basic-auth-user`/`--basic-auth-password`, `--bearer-token`, the web configuration
 * file's `basic_auth_users`, or the exporter's own `auth` field.
 */
export function resolveAuth(
  args: BuiltinArgs,
  webConfig: WebConfig | undefined,
  codeAuth: MetricsAuth | undefined,
): MetricsAuth | undefined {
  const { basicAuthUser: user, basicAuthPassword: password, bearerToken } = args;
  if ((user === undefined) !== (password === undefined)) {
    throw new OptionError('--basic-auth-user and --basic-auth-password must be given together');
  }
  if (user?.includes(':')) {
    throw new OptionError(
      `invalid value ${JSON.stringify(user)} for --basic-auth-user: a Basic auth user name cannot contain ":"`,
    );
  }
  if (bearerToken === '') throw new OptionError('--bearer-token cannot be empty');
  const sources: Array<[string, MetricsAuth]> = [];
  if (user !== undefined && password !== undefined) {
    sources.push(['--basic-auth-user', { username: user, password }]);
  }
  if (bearerToken !== undefined) sources.push(['--bearer-token', { bearer: bearerToken }]);
  const users = webConfig?.basicAuthUsers;
  if (users !== undefined && users.size > 0) {
    sources.push(['--web.config.file basic_auth_users', bcryptAuth(users)]);
  }
  if (codeAuth !== undefined) sources.push(['the exporter’s auth field', codeAuth]);
  if (sources.length > 1) {
    throw new OptionError(
      `metrics auth is configured twice: ${sources.map(([name]) => name).join(' and ')}; use one`,
    );
  }
  return sources[0]?.[1];
}
