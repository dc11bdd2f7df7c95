import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, redisPing, requireBinary } from '@promkit/testkit';

/**
 * A redis-server that keeps its data across a SIGKILL: append-only file fsynced on every
 * write. testkit's startRedis() is deliberately non-persistent, so a restart there wipes
 * every total; the restart tests need totals that survive the crash.
 */
export interface PersistentRedis {
  readonly port: number;
  readonly url: string;
  kill(): Promise<void>;
  /** Starts the server again on the same port and data directory (no-op while it runs). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPersistentRedis(): Promise<PersistentRedis> {
  const binary = requireBinary('redis-server');
  const dir = mkdtempSync(join(tmpdir(), 'promkit-redis-aof-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  const onExit = (): void => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  const start = async (): Promise<void> => {
    if (child !== undefined && child.exitCode === null && child.signalCode === null) return;
    const proc = spawn(
      binary,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        dir,
        '--daemonize',
        'no',
      ],
      { stdio: 'ignore' },
    );
    child = proc;
    const deadline = Date.now() + 10_000;
    while (!(await redisPing(port, 200))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        throw new Error(`persistent redis-server on port ${port} did not start`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const kill = async (): Promise<void> => {
    const proc = child;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await gone;
  };
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill,
    start,
    async stop() {
      await kill();
      process.removeListener('exit', onExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
