import { ServiceStartError } from './errors';
import { onFreePort } from './on-free-port';
import { redisPing } from './redis-ping';
import { requireBinary } from './require-binary';
import { type ServiceProcess, spawnService } from './service-process';
import { makeTmpDir, removeTmpDir } from './tmp-dir';
import { waitReady } from './wait-ready';

export interface RedisHandle {
  readonly port: number;
  /** `redis://127.0.0.1:PORT` */
  readonly url: string;
  /** SIGTERM (SIGKILL after 5 s), then removes the working directory. */
  stop(): Promise<void>;
  /** Kills the server (default SIGKILL) to simulate an outage; resolves once it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the server again on the same port (stopping it first if it still runs). */
  restart(): Promise<void>;
}

async function launch(binary: string, dir: string, port: number): Promise<ServiceProcess> {
  const proc = spawnService(
    'redis-server',
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--dir',
      dir,
    ],
    dir,
  );
  await waitReady(proc, () => redisPing(port));
  return proc;
}

/**
 * Starts a real, empty, non-persistent Redis on a free loopback port.
 *
 * @example
 * const redis = await startRedis();
 * const client = new Redis(redis.url);
 */
export async function startRedis(): Promise<RedisHandle> {
  const binary = requireBinary('redis-server');
  const dir = await makeTmpDir('redis');
  let proc: ServiceProcess;
  let port: number;
  try {
    ({ proc, port } = await onFreePort(async (p) => ({
      proc: await launch(binary, dir, p),
      port: p,
    })));
  } catch (error) {
    await removeTmpDir(dir);
    throw error;
  }
  let stopped = false;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      stopped = true;
      await proc.stop();
      await removeTmpDir(dir);
    },
    async kill(signal = 'SIGKILL') {
      await proc.kill(signal);
    },
    async restart() {
      if (stopped)
        throw new ServiceStartError(`redis-server on port ${port} was stopped: start a new one`);
      await proc.stop();
      proc = await launch(binary, dir, port);
    },
  };
}
