import { onFreePort } from './on-free-port';
import { requireBinary } from './require-binary';
import { spawnService } from './service-process';
import { makeTmpDir, removeTmpDir } from './tmp-dir';
import { httpOk, waitReady } from './wait-ready';

export interface PushgatewayOptions {
  /** Adds `--web.enable-admin-api` (`PUT /api/v1/admin/wipe`). */
  adminApi?: boolean;
}

export interface PushgatewayHandle {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Starts a real Pushgateway on a free loopback port, keeping pushed metrics in memory only.
 *
 * @example
 * const gateway = await startPushgateway();
 * await fetch(`${gateway.url}/metrics/job/test`, { method: 'PUT', body: 'x 1\n' });
 */
export async function startPushgateway(opts: PushgatewayOptions = {}): Promise<PushgatewayHandle> {
  const binary = requireBinary('prometheus-pushgateway');
  const dir = await makeTmpDir('pushgateway');
  try {
    const { proc, port } = await onFreePort(async (port) => {
      const args = [
        `--web.listen-address=127.0.0.1:${port}`,
        // Empty means memory only; Debian's default persists under /var/lib/prometheus.
        '--persistence.file=',
      ];
      if (opts.adminApi === true) args.push('--web.enable-admin-api');
      const proc = spawnService('prometheus-pushgateway', binary, args, dir);
      await waitReady(proc, () => httpOk(`http://127.0.0.1:${port}/-/ready`));
      return { proc, port };
    });
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      async stop() {
        await proc.stop();
        await removeTmpDir(dir);
      },
    };
  } catch (error) {
    await removeTmpDir(dir);
    throw error;
  }
}
