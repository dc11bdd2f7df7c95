import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  jsonRecords,
  makeTmpDir,
  runToExit,
  type SpawnOptions,
  spawnExporter,
} from './helpers/exporter-process';

afterEach(cleanup);

interface OptionRecord {
  name: string;
  value?: string | number | boolean;
  source: string;
}

/**
 * Starts the sample with debug JSON logs and returns how each option was resolved (the
 * exporter logs one `option` record per option) plus the URL it listens on.
 */
async function resolvedOptions(
  args: readonly string[],
  options: SpawnOptions,
): Promise<{ byName: Map<string, OptionRecord>; url: string }> {
  const proc = spawnExporter(
    ['-H', '127.0.0.1', '-L', 'debug', '--log-format', 'json', ...args],
    options,
  );
  const [url] = await proc.listening();
  const records = jsonRecords(proc.stderrLines()).filter((r) => r.message === 'option');
  const byName = new Map(records.map((r) => [r.name as string, r as unknown as OptionRecord]));
  return { byName, url: url! };
}

function dotenvDir(lines: readonly string[], file = '.env'): string {
  const dir = makeTmpDir();
  writeFileSync(join(dir, file), `${lines.join('\n')}\n`);
  return dir;
}

describe('precedence: command line > env > dotenv > default', () => {
  it('uses defaults when nothing is set', async () => {
    const { byName } = await resolvedOptions(['-p', '0'], {});
    expect(byName.get('metrics-path')).toMatchObject({ value: '/metrics', source: 'default' });
    expect(byName.get('sample-interval')).toMatchObject({ value: 5, source: 'default' });
    expect(byName.get('process-stats')).toMatchObject({ value: false, source: 'default' });
  });

  it('reads ./.env, the environment beats it, the command line beats both', async () => {
    const cwd = dotenvDir([
      '# a comment',
      'PROMKIT_SAMPLE_METRICS_PATH=/from-dotenv',
      'PROMKIT_SAMPLE_SAMPLE_INTERVAL="7"',
      "PROMKIT_SAMPLE_PORT='0'",
      'UNRELATED=1',
    ]);
    const dotenvOnly = await resolvedOptions([], { cwd });
    expect(dotenvOnly.byName.get('metrics-path')).toMatchObject({
      value: '/from-dotenv',
      source: 'dotenv',
    });
    expect(dotenvOnly.byName.get('sample-interval')).toMatchObject({ value: 7, source: 'dotenv' });
    expect(dotenvOnly.byName.get('port')).toMatchObject({ value: 0, source: 'dotenv' });
    // The resolved path is the one served.
    expect((await fetch(`${dotenvOnly.url}/from-dotenv`)).status).toBe(200);
    expect((await fetch(`${dotenvOnly.url}/metrics`)).status).toBe(404);

    const env = { PROMKIT_SAMPLE_METRICS_PATH: '/from-env', PROMKIT_SAMPLE_SAMPLE_INTERVAL: '8' };
    const envWins = await resolvedOptions([], { cwd, env });
    expect(envWins.byName.get('metrics-path')).toMatchObject({ value: '/from-env', source: 'env' });
    expect(envWins.byName.get('sample-interval')).toMatchObject({ value: 8, source: 'env' });
    expect(envWins.byName.get('port')).toMatchObject({ value: 0, source: 'dotenv' });
    expect((await fetch(`${envWins.url}/from-env`)).status).toBe(200);

    const cliWins = await resolvedOptions(['--metrics-path', '/from-cli'], { cwd, env });
    expect(cliWins.byName.get('metrics-path')).toMatchObject({
      value: '/from-cli',
      source: 'command line',
    });
    expect(cliWins.byName.get('sample-interval')).toMatchObject({ value: 8, source: 'env' });
    expect((await fetch(`${cliWins.url}/from-cli`)).status).toBe(200);
  });

  it('a command-line host list replaces the env list instead of adding to it', async () => {
    const proc = spawnExporter(['-H', '::1', '-p', '0', '-L', 'debug'], {
      env: { PROMKIT_SAMPLE_HOST: '127.0.0.1' },
    });
    const [url] = await proc.listening();
    expect(url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    // Every listening line is written before the server answers its first request.
    await fetch(`${url}/`);
    await proc.waitForLine(/^DEBUG request method=GET path=\/ status=200/);
    expect(proc.stderrLines().filter((l) => l.startsWith('INFO listening'))).toHaveLength(1);
  });

  it('treats an empty env value as unset', async () => {
    const cwd = dotenvDir(['PROMKIT_SAMPLE_METRICS_PATH=/from-dotenv']);
    const { byName } = await resolvedOptions(['-p', '0'], {
      cwd,
      env: { PROMKIT_SAMPLE_METRICS_PATH: '' },
    });
    expect(byName.get('metrics-path')).toMatchObject({ value: '/from-dotenv', source: 'dotenv' });
  });

  it('reads booleans from env and dotenv', async () => {
    const fromEnv = await resolvedOptions(['-p', '0'], {
      env: { PROMKIT_SAMPLE_PROCESS_STATS: 'yes' },
    });
    expect(fromEnv.byName.get('process-stats')).toMatchObject({ value: true, source: 'env' });
    const cwd = dotenvDir(['PROMKIT_SAMPLE_PROCESS_STATS=off', 'PROMKIT_SAMPLE_LOG_FORMAT=JSON']);
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0', '-L', 'debug'], { cwd });
    await proc.listening();
    const records = jsonRecords(proc.stderrLines()).filter((r) => r.message === 'option');
    expect(records.find((r) => r.name === 'process-stats')).toMatchObject({
      value: false,
      source: 'dotenv',
    });
    // Choices match case-insensitively and are stored as listed.
    expect(records.find((r) => r.name === 'log-format')).toMatchObject({
      value: 'json',
      source: 'dotenv',
    });
  });
});

describe('the dotenv file', () => {
  it('comes from <PREFIX>_DOTENV when set, relative to the working directory', async () => {
    const cwd = dotenvDir(['PROMKIT_SAMPLE_METRICS_PATH=/custom-file'], 'exporter.env');
    writeFileSync(join(cwd, '.env'), 'PROMKIT_SAMPLE_METRICS_PATH=/default-file\n');
    const { byName } = await resolvedOptions(['-p', '0'], {
      cwd,
      env: { PROMKIT_SAMPLE_DOTENV: 'exporter.env' },
    });
    expect(byName.get('metrics-path')).toMatchObject({ value: '/custom-file', source: 'dotenv' });
  });

  it('a missing file that was asked for is an error', async () => {
    const result = await runToExit(['-p', '0'], {
      env: { PROMKIT_SAMPLE_DOTENV: '/nonexistent/x.env' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^ERROR cannot read dotenv file \/nonexistent\/x\.env \(from env PROMKIT_SAMPLE_DOTENV\): ENOENT/,
    );
  });

  it('a bad value there is reported with the file it came from', async () => {
    const cwd = dotenvDir(['PROMKIT_SAMPLE_PORT=ninety']);
    const result = await runToExit([], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `ERROR invalid value "ninety" for --port from PROMKIT_SAMPLE_PORT in ${join(cwd, '.env')}: expected an integer`,
    );
  });
});
