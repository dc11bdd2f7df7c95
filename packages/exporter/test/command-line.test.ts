import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, jsonRecords, runToExit, TEST_EXPORTER } from './helpers/exporter-process';

afterEach(cleanup);

const BUILTIN_ENV_VARS = [
  'PROMKIT_SAMPLE_HOST',
  'PROMKIT_SAMPLE_PORT',
  'PROMKIT_SAMPLE_METRICS_PATH',
  'PROMKIT_SAMPLE_LOG_LEVEL',
  'PROMKIT_SAMPLE_LOG_FORMAT',
  'PROMKIT_SAMPLE_PROCESS_STATS',
  'PROMKIT_SAMPLE_SSL_PRIVATE_KEY',
  'PROMKIT_SAMPLE_SSL_PUBLIC_KEY',
  'PROMKIT_SAMPLE_SSL_CA',
];

/** `--help` wraps long descriptions: join the lines so each option reads as one. */
function unwrap(help: string): string {
  return help.replace(/\n\s+/g, ' ');
}

describe('--help', () => {
  it('lists every option with its env var and default, and exits 0', async () => {
    const { code, stdout, stderr } = await runToExit(['--help']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const help = unwrap(stdout);
    expect(help).toContain('Usage: promkit-exporter-sample [options]');
    expect(help).toContain('Sample Prometheus exporter: host load average and random demo values.');
    for (const variable of BUILTIN_ENV_VARS) expect(help).toContain(`env: ${variable}`);
    for (const flags of [
      '-H, --host <host...>',
      '-p, --port <port>',
      '--metrics-path <path>',
      '-L, --log-level <level>',
      '--log-format <format>',
      '--process-stats',
      '--ssl-private-key <file>',
      '--ssl-public-key <file>',
      '--ssl-ca <file>',
      '--version',
      '-h, --help',
    ]) {
      expect(help).toContain(flags);
    }
    expect(help).toMatch(/env: PROMKIT_SAMPLE_HOST, default: localhost\)/);
    expect(help).toMatch(/env: PROMKIT_SAMPLE_PORT, default: 9091\)/);
    expect(help).toMatch(/env: PROMKIT_SAMPLE_METRICS_PATH, default: \/metrics\)/);
    expect(help).toMatch(
      /critical, error, warning, info, debug\) \(env: PROMKIT_SAMPLE_LOG_LEVEL, default: info\)/,
    );
    expect(help).toMatch(/\(plain, json\) \(env: PROMKIT_SAMPLE_LOG_FORMAT, default: plain\)/);
    expect(help).toMatch(/env: PROMKIT_SAMPLE_PROCESS_STATS, default: false\)/);
    expect(help).toContain('PROMKIT_SAMPLE_DOTENV, default ./.env');
    expect(help).toContain('Precedence: command line > environment > dotenv file > default.');
  });

  it("lists the exporter's own options the same way", async () => {
    const sample = unwrap((await runToExit(['-h'])).stdout);
    expect(sample).toMatch(
      /--sample-interval <seconds> +seconds between two random values \(env: PROMKIT_SAMPLE_SAMPLE_INTERVAL, default: 5\)/,
    );
    const fixture = unwrap((await runToExit(['--help'], { script: TEST_EXPORTER })).stdout);
    expect(fixture).toMatch(
      /-m, --mode <value> +a choice option \(env: TEST_EXPORTER_MODE, default: fast\)/,
    );
    expect(fixture).toMatch(
      /--token <value> +a required option \(env: TEST_EXPORTER_TOKEN, required\)/,
    );
    expect(fixture).toContain('TEST_EXPORTER_DOTENV');
  });
});

describe('--version', () => {
  it('prints the name and version and exits 0', async () => {
    const { code, stdout } = await runToExit(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^promkit-exporter-sample \d+\.\d+\.\d+\n$/);
    expect((await runToExit(['--version'], { script: TEST_EXPORTER })).stdout).toBe(
      'test-exporter 1.2.3\n',
    );
  });
});

describe('bad command lines exit 1 with one logged error', () => {
  const cases: Array<{ args: string[]; env?: Record<string, string>; message: RegExp }> = [
    { args: ['--bogus'], message: /^ERROR unknown option '--bogus' \(see --help\)$/ },
    {
      args: ['--port'],
      message: /^ERROR option '-p, --port <port>' argument missing \(see --help\)$/,
    },
    { args: ['extra'], message: /^ERROR too many arguments.*\(see --help\)$/ },
    {
      args: ['-p', 'http'],
      message: /^ERROR invalid value "http" for --port on the command line: expected an integer$/,
    },
    {
      args: ['-p', '70000'],
      message: /^ERROR invalid value "70000" for --port on the command line: must be ≤ 65535$/,
    },
    {
      args: ['-L', 'verbose'],
      message:
        /^ERROR invalid value "verbose" for --log-level on the command line: expected one of critical, error, warning, info, debug$/,
    },
    {
      args: [],
      env: { PROMKIT_SAMPLE_LOG_FORMAT: 'xml' },
      message:
        /^ERROR invalid value "xml" for --log-format from env PROMKIT_SAMPLE_LOG_FORMAT: expected one of plain, json$/,
    },
    {
      args: [],
      env: { PROMKIT_SAMPLE_PROCESS_STATS: 'maybe' },
      message:
        /^ERROR invalid value "maybe" for --process-stats from env PROMKIT_SAMPLE_PROCESS_STATS: expected one of true/,
    },
    {
      args: ['--sample-interval', '0'],
      message:
        /^ERROR invalid value "0" for --sample-interval on the command line: must be ≥ 0.01$/,
    },
    {
      args: ['--metrics-path', 'metrics'],
      message: /^ERROR invalid value "metrics" for --metrics-path: must start with "\/"$/,
    },
  ];
  for (const { args, env, message } of cases) {
    it(`${args.join(' ') || JSON.stringify(env)}`, async () => {
      const result = await runToExit(args, { env });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    });
  }

  it('names a missing required option with its env var', async () => {
    const result = await runToExit(['-p', '0'], { script: TEST_EXPORTER });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ERROR missing required option --token \(or env TEST_EXPORTER_TOKEN, or TEST_EXPORTER_TOKEN in \/.+\/\.env\)$/,
    );
  });

  it('logs the error as JSON when the log options ask for it', async () => {
    const result = await runToExit(['--log-format', 'json', '--port', 'x']);
    expect(result.code).toBe(1);
    const [record] = jsonRecords(result.stderr.split('\n'));
    expect(record).toMatchObject({
      level: 'error',
      message: 'invalid value "x" for --port on the command line: expected an integer',
    });
    const unknown = await runToExit(['--nope'], { env: { PROMKIT_SAMPLE_LOG_FORMAT: 'json' } });
    expect(jsonRecords(unknown.stderr.split('\n'))[0]).toMatchObject({
      level: 'error',
      message: "unknown option '--nope' (see --help)",
    });
  });
});
