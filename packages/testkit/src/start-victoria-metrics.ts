import { join } from 'node:path';
import { onFreePort } from './on-free-port';
import { requireBinary } from './require-binary';
import { spawnService } from './service-process';
import { type PrometheusHandle, prometheusHandle } from './start-prometheus';
import { makeTmpDir, removeTmpDir } from './tmp-dir';
import { httpOk, waitReady } from './wait-ready';

/** A VictoriaMetrics single node: Prometheus' query API plus `writeUrl` for remote write. */
export interface VictoriaMetricsHandle extends PrometheusHandle {
  /** `http://127.0.0.1:PORT/api/v1/write` */
  readonly writeUrl: string;
}

/**
 * Starts a real VictoriaMetrics (Debian `victoria-metrics`) on a free loopback port, with
 * `-search.latencyOffset=0s` so fresh samples are queryable at once. `targets()` is empty.
 *
 * @example
 * const vm = await startVictoriaMetrics();
 * // remote write to vm.writeUrl, then:
 * const [sample] = await vm.waitFor('my_counter_total');
 * await vm.stop();
 */
export async function startVictoriaMetrics(): Promise<VictoriaMetricsHandle> {
  const binary = requireBinary('victoria-metrics');
  const dir = await makeTmpDir('victoria-metrics');
  try {
    const { proc, port } = await onFreePort(async (port) => {
      const proc = spawnService(
        'victoria-metrics',
        binary,
        [
          `-httpListenAddr=127.0.0.1:${port}`,
          `-storageDataPath=${join(dir, 'data')}`,
          '-search.latencyOffset=0s',
          '-loggerLevel=ERROR',
        ],
        dir,
      );
      await waitReady(proc, () => httpOk(`http://127.0.0.1:${port}/health`));
      return { proc, port };
    });
    const url = `http://127.0.0.1:${port}`;
    const handle = prometheusHandle(url, port, async () => {
      await proc.stop();
      await removeTmpDir(dir);
    });
    return { ...handle, targets: async () => [], writeUrl: `${url}/api/v1/write` };
  } catch (error) {
    await removeTmpDir(dir);
    throw error;
  }
}
