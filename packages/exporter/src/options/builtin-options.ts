import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../log/logger';
import type { ExporterOption } from './option-spec';

/** The values of the options every exporter has. */
export interface BuiltinArgs {
  readonly host: readonly string[];
  readonly port: number;
  readonly metricsPath: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly processStats: boolean;
  readonly sslPrivateKey: string | undefined;
  readonly sslPublicKey: string | undefined;
  readonly sslCa: string | undefined;
  readonly basicAuthUser: string | undefined;
  readonly basicAuthPassword: string | undefined;
  readonly bearerToken: string | undefined;
  readonly webConfigFile: string | undefined;
}

export const DEFAULT_HOSTS: readonly string[] = ['localhost'];

/** `--help` and `--version` are added by the command-line parser itself. */
export function builtinOptions(defaults: {
  readonly port: number;
  readonly metricsPath: string;
}): ExporterOption[] {
  return [
    {
      name: 'host',
      short: 'H',
      type: 'list',
      default: DEFAULT_HOSTS,
      valueName: 'host',
      description:
        'address to bind, repeat for several (IPv6 included; a name binds all its addresses)',
    },
    {
      name: 'port',
      short: 'p',
      type: 'integer',
      min: 0,
      max: 65_535,
      default: defaults.port,
      valueName: 'port',
      description: 'port to listen on',
    },
    {
      name: 'metrics-path',
      default: defaults.metricsPath,
      valueName: 'path',
      description: 'path under which metrics are exposed',
    },
    {
      name: 'log-level',
      short: 'L',
      choices: LOG_LEVELS,
      default: 'info',
      valueName: 'level',
      description: `minimum level of log messages (${LOG_LEVELS.join(', ')})`,
    },
    {
      name: 'log-format',
      choices: LOG_FORMATS,
      default: 'plain',
      valueName: 'format',
      description: `log line format (${LOG_FORMATS.join(', ')})`,
    },
    {
      name: 'process-stats',
      type: 'boolean',
      default: false,
      description: 'include process and Node.js runtime metrics',
    },
    {
      name: 'ssl-private-key',
      valueName: 'file',
      description: 'PEM private key file; with --ssl-public-key, serve HTTPS',
    },
    {
      name: 'ssl-public-key',
      valueName: 'file',
      description: 'PEM certificate (chain) file; with --ssl-private-key, serve HTTPS',
    },
    {
      name: 'ssl-ca',
      valueName: 'file',
      description: 'PEM CA bundle; when given, clients must present a certificate it signed',
    },
    {
      name: 'basic-auth-user',
      valueName: 'user',
      description: 'require HTTP Basic auth on the metrics path with this user name',
    },
    {
      name: 'basic-auth-password',
      valueName: 'password',
      description: 'the password for --basic-auth-user (prefer the environment variable)',
    },
    {
      name: 'bearer-token',
      valueName: 'token',
      description:
        'require this bearer token on the metrics path (prefer the environment variable)',
    },
    {
      name: 'web.config.file',
      valueName: 'file',
      description:
        'Prometheus web configuration file (exporter-toolkit format): tls_server_config, bcrypt basic_auth_users',
    },
  ];
}
