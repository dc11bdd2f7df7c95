import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTestCerts, type TestCerts } from '@promkit/testkit';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bcryptAuth } from '../src/http/bcrypt-auth';
import { cleanup, makeTmpDir, runToExit, spawnExporter } from './helpers/exporter-process';
import { httpsGet } from './helpers/https-get';

let certs: TestCerts;
let dir: string;
const PASSWORD = 'correct horse';
let hash: string;

function basic(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** Writes a web config file beside the certificates and returns its path. */
function webConfig(name: string, yaml: string): string {
  const path = join(dir, `${name}.yml`);
  writeFileSync(path, yaml);
  return path;
}

beforeAll(() => {
  dir = makeTmpDir();
  certs = makeTestCerts(dir);
  hash = bcrypt.hashSync(PASSWORD, 4);
});
afterAll(cleanup);

describe('--web.config.file over HTTPS', () => {
  it('RequireAndVerifyClientCert + bcrypt users: needs both the client certificate and the password', async () => {
    // Relative paths are read from the file's directory, as exporter-toolkit does.
    const file = webConfig(
      'strict',
      `tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_ca_file: ca.crt
  client_auth_type: RequireAndVerifyClientCert
  min_version: TLS12
basic_auth_users:
  prometheus: ${hash}
  legacy: ${hash.replace(/^\$2b\$/, '$2y$')}
`,
    );
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0', '--web.config.file', file]);
    const [url] = await proc.listening();
    expect(url).toMatch(/^https:/);
    const metrics = `${url}/metrics`;
    const client = { caFile: certs.caCert, certFile: certs.clientCert, keyFile: certs.clientKey };
    const ok = await httpsGet(metrics, client, basic('prometheus', PASSWORD));
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('# TYPE sample_updates_total counter');
    expect((await httpsGet(metrics, client, basic('legacy', PASSWORD))).status).toBe(200);
    // A cached success does not make another password pass.
    expect((await httpsGet(metrics, client, basic('prometheus', `${PASSWORD}!`))).status).toBe(401);
    expect((await httpsGet(metrics, client, basic('nobody', PASSWORD))).status).toBe(401);
    const missing = await httpsGet(metrics, client);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Basic realm="metrics"');
    // The landing page needs no password, but still the certificate.
    expect((await httpsGet(`${url}/`, client)).status).toBe(200);
    await expect(
      httpsGet(metrics, { caFile: certs.caCert }, basic('prometheus', PASSWORD)),
    ).rejects.toThrow(/certificate required|ECONNRESET|socket hang up/);
    await expect(
      httpsGet(
        metrics,
        { caFile: certs.caCert, certFile: certs.strangerCert, keyFile: certs.strangerKey },
        basic('prometheus', PASSWORD),
      ),
    ).rejects.toThrow(/unknown ca|ECONNRESET|socket hang up/);
    expect((await proc.stop()).code).toBe(0);
  });

  it('VerifyClientCertIfGiven: no certificate is fine, a stranger is not', async () => {
    const file = webConfig(
      'lenient',
      `tls_server_config:
  cert_file: ${certs.serverCert}
  key_file: ${certs.serverKey}
  client_ca_file: ${certs.caCert}
  client_auth_type: VerifyClientCertIfGiven
`,
    );
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0', '--web.config.file', file]);
    const [url] = await proc.listening();
    expect((await httpsGet(`${url}/metrics`, { caFile: certs.caCert })).status).toBe(200);
    const signed = { caFile: certs.caCert, certFile: certs.clientCert, keyFile: certs.clientKey };
    expect((await httpsGet(`${url}/metrics`, signed)).status).toBe(200);
    await expect(
      httpsGet(`${url}/metrics`, {
        caFile: certs.caCert,
        certFile: certs.strangerCert,
        keyFile: certs.strangerKey,
      }),
    ).rejects.toThrow();
    expect((await proc.stop()).code).toBe(0);
  });

  it('bcrypt users without TLS, from the environment variable', async () => {
    const file = webConfig('users-only', `basic_auth_users:\n  prometheus: ${hash}\n`);
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0'], {
      env: { PROMKIT_SAMPLE_WEB_CONFIG_FILE: file },
    });
    const [url] = await proc.listening();
    expect(url).toMatch(/^http:/);
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: basic('prometheus', PASSWORD) });
    expect(ok.status).toBe(200);
    expect((await proc.stop()).code).toBe(0);
  });
});

describe('CLI auth options', () => {
  it('--basic-auth-user with the password from the environment', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0', '--basic-auth-user', 'prom'], {
      env: { PROMKIT_SAMPLE_BASIC_AUTH_PASSWORD: 'pw' },
    });
    const [url] = await proc.listening();
    const missing = await fetch(`${url}/metrics`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Basic realm="metrics", charset="UTF-8"');
    expect((await fetch(`${url}/metrics`, { headers: basic('prom', 'pw') })).status).toBe(200);
    expect((await fetch(`${url}/metrics`, { headers: basic('prom', 'pw2') })).status).toBe(401);
    expect((await proc.stop()).code).toBe(0);
  });

  it('--bearer-token', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0', '--bearer-token', 't0k']);
    const [url] = await proc.listening();
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer t0k' } });
    expect(ok.status).toBe(200);
    expect((await proc.stop()).code).toBe(0);
  });
});

describe('bad configuration is a clear startup error naming the field', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    [
      'an unknown TLS field',
      () => [
        '--web.config.file',
        webConfig(
          'unknown',
          `tls_server_config:\n  cert_file: a\n  key_file: b\n  cipher_suites: [x]\n`,
        ),
      ],
      /^ERROR --web\.config\.file \S+unknown\.yml: tls_server_config\.cipher_suites: unknown or unsupported field$/,
    ],
    [
      'a missing key_file',
      () => [
        '--web.config.file',
        webConfig('nokey', `tls_server_config:\n  cert_file: server.crt\n`),
      ],
      /: tls_server_config\.key_file: missing$/,
    ],
    [
      'an unknown client_auth_type',
      () => [
        '--web.config.file',
        webConfig(
          'authtype',
          `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_auth_type: Sometimes\n`,
        ),
      ],
      /: tls_server_config\.client_auth_type: expected one of NoClientCert, .*got "Sometimes"$/,
    ],
    [
      'a client CA without a client auth policy',
      () => [
        '--web.config.file',
        webConfig(
          'capolicy',
          `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: ca.crt\n`,
        ),
      ],
      /: tls_server_config\.client_ca_file: a client CA is configured but client_auth_type is NoClientCert/,
    ],
    [
      'an unreadable certificate',
      () => [
        '--web.config.file',
        webConfig(
          'nocert',
          `tls_server_config:\n  cert_file: missing.crt\n  key_file: server.key\n`,
        ),
      ],
      /^ERROR cannot read --web\.config\.file tls_server_config\.cert_file file \S+missing\.crt: ENOENT/,
    ],
    [
      'a password instead of a bcrypt hash',
      () => ['--web.config.file', webConfig('plain', `basic_auth_users:\n  prometheus: hunter2\n`)],
      /: basic_auth_users\.prometheus: expected a bcrypt hash/,
    ],
    [
      'a user name with a colon',
      () => [
        '--web.config.file',
        webConfig('colon', `basic_auth_users:\n  "a:b": "${'$2b$04$'}${'a'.repeat(53)}"\n`),
      ],
      /: basic_auth_users\.a:b: a Basic auth user name cannot contain ":", got "a:b"$/,
    ],
    [
      'a file that is not YAML',
      () => ['--web.config.file', webConfig('broken', `tls_server_config: [unclosed\n`)],
      /^ERROR --web\.config\.file \S+broken\.yml: not valid YAML/,
    ],
    [
      'a file that does not exist',
      () => ['--web.config.file', join(dir, 'absent.yml')],
      /^ERROR cannot read --web\.config\.file \S+absent\.yml: ENOENT/,
    ],
    [
      'tls_server_config and --ssl-* together',
      () => [
        '--web.config.file',
        webConfig('both', `tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n`),
        '--ssl-private-key',
        certs.serverKey,
        '--ssl-public-key',
        certs.serverCert,
      ],
      /^ERROR --ssl-private-key\/--ssl-public-key and --web\.config\.file tls_server_config both configure TLS; use one$/,
    ],
    [
      'basic_auth_users and --bearer-token together',
      () => [
        '--web.config.file',
        webConfig('twice', `basic_auth_users:\n  prometheus: ${hash}\n`),
        '--bearer-token',
        't',
      ],
      /^ERROR metrics auth is configured twice: --bearer-token and --web\.config\.file basic_auth_users; use one$/,
    ],
    [
      '--basic-auth-user without a password',
      () => ['--basic-auth-user', 'prom'],
      /^ERROR --basic-auth-user and --basic-auth-password must be given together$/,
    ],
    [
      'a colon in --basic-auth-user',
      () => ['--basic-auth-user', 'a:b', '--basic-auth-password', 'x'],
      /^ERROR invalid value "a:b" for --basic-auth-user: a Basic auth user name cannot contain ":"$/,
    ],
  ];
  for (const [name, args, expected] of cases) {
    it(name, async () => {
      const result = await runToExit(['-H', '127.0.0.1', '-p', '0', ...args()]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(expected);
    });
  }
});

describe('bcryptAuth', () => {
  it('caches a success for a minute by user and password digest, never a failure', async () => {
    let now = 1_000;
    const users = new Map([['prom', hash]]);
    const check = bcryptAuth(users, () => now);
    const header = basic('prom', PASSWORD).authorization;
    expect(await check(header)).toBe(true);
    // The hash changes (say, a new config); within the minute the cached success stands.
    users.set('prom', bcrypt.hashSync('other', 4));
    expect(await check(header)).toBe(true);
    expect(await check(basic('prom', 'other').authorization)).toBe(true);
    now += 60_001;
    expect(await check(header)).toBe(false);
    expect(await check(basic('prom', 'wrong').authorization)).toBe(false);
    expect(await check(undefined)).toBe(false);
    expect(await check('Bearer x')).toBe(false);
  });
});
