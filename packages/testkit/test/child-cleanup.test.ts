import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redisPing } from '../src/index';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestBin = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
);

async function httpAnswers(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/-/ready`).then(
    () => true,
    () => false,
  );
}

async function gone(answers: () => Promise<boolean>): Promise<boolean> {
  // SIGKILL is sent before the test process exits; the kernel closes the ports just after.
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (!(await answers())) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

describe('child process tracking', () => {
  it('kills every service a test process started and left running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promkit-leak-'));
    const leakFile = join(dir, 'ports.json');
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')),
    );
    try {
      const run = spawnSync(
        process.execPath,
        [vitestBin, 'run', '--config', 'test/fixtures/vitest.fixture.config.ts'],
        { cwd: packageDir, env: { ...env, PROMKIT_LEAK_FILE: leakFile }, encoding: 'utf8' },
      );
      expect(run.status, run.stdout + run.stderr).toBe(0);
      const ports = JSON.parse(readFileSync(leakFile, 'utf8')) as Record<string, number>;
      expect(await gone(() => redisPing(ports.redis!))).toBe(true);
      expect(await gone(() => httpAnswers(ports.pushgateway!))).toBe(true);
      expect(await gone(() => httpAnswers(ports.prometheus!))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
