import { freePort } from '@promkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  cleanup,
  jsonRecords,
  runToExit,
  spawnExporter,
  TEST_EXPORTER,
} from './helpers/exporter-process';

afterEach(cleanup);

async function waitForHttp(url: string): Promise<void> {
  for (let attempt = 0; attempt < 150; attempt++) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} did not answer within 15 s`);
}

describe('logs', () => {
  it('--log-format json writes one JSON object per line with level, message and time', async () => {
    const proc = spawnExporter([
      '-H',
      '127.0.0.1',
      '-H',
      '::1',
      '-p',
      '0',
      '--log-format',
      'json',
      '-L',
      'debug',
    ]);
    const urls = await proc.listening(2);
    await fetch(`${urls[0]}/metrics`, { headers: { 'user-agent': 'promkit-test' } });
    await proc.waitForLine((line) => line.includes('"message":"request"'));
    expect((await proc.stop('SIGINT')).code).toBe(0);
    const records = jsonRecords(proc.stderrLines());
    for (const record of records) {
      expect(Object.keys(record).slice(0, 3)).toEqual(['level', 'message', 'time']);
      expect(['critical', 'error', 'warning', 'info', 'debug']).toContain(record.level);
      expect(new Date(record.time as string).toISOString()).toBe(record.time);
    }
    expect(records.filter((r) => r.message === 'listening').map((r) => r.url)).toEqual(urls);
    expect(records.find((r) => r.message === 'request')).toMatchObject({
      level: 'debug',
      method: 'GET',
      path: '/metrics',
      status: 200,
      remote: '127.0.0.1',
      user_agent: 'promkit-test',
    });
    expect(records.at(-3)).toMatchObject({
      level: 'info',
      message: 'shutting down',
      signal: 'SIGINT',
    });
    expect(records.at(-1)).toMatchObject({ level: 'info', message: 'stopped' });
  });

  it('access logs only appear at debug level', async () => {
    const proc = spawnExporter(['-H', '127.0.0.1', '-p', '0']);
    const [url] = await proc.listening();
    await fetch(`${url}/metrics`);
    await fetch(`${url}/`);
    await proc.stop();
    const lines = proc.stderrLines();
    expect(lines.some((line) => line.startsWith('DEBUG'))).toBe(false);
    expect(lines).toContain(`INFO listening url=${url}`);
  });

  it('--log-level warning keeps warnings and drops info', async () => {
    // No `listening` line at this level, so the port is chosen here.
    const port = await freePort();
    const proc = spawnExporter(
      ['-H', '127.0.0.1', '-p', String(port), '--token', 't', '-L', 'warning'],
      {
        script: TEST_EXPORTER,
        env: { TEST_EXPORTER_UPDATE_DELAY_MS: '60000', TEST_EXPORTER_UPDATE_TIMEOUT_MS: '50' },
      },
    );
    const url = `http://127.0.0.1:${port}`;
    await waitForHttp(url);
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
    await proc.waitForLine(/^WARNING update hook timed out/);
    expect(proc.stderrLines().filter((line) => !line.startsWith('WARNING'))).toEqual([]);
  });

  it('a failing startup hook is one ERROR line; onShutdown still runs; exit 1', async () => {
    const result = await runToExit(['-p', '0', '--token', 't', '--fail-startup'], {
      script: TEST_EXPORTER,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')).toEqual([
      'INFO configured token=t mode=fast',
      'ERROR cannot reach the backend',
      'INFO fixture shutdown hook ran',
    ]);
  });
});
