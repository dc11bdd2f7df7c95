import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ServiceApiError, WaitTimeoutError } from './errors';
import { onFreePort } from './on-free-port';
import {
  type PromMetricMetadata,
  type PromQueryResponse,
  type PromTarget,
  type PromVectorSample,
  promData,
  promGet,
} from './prometheus-api';
import { type PrometheusOptions, prometheusConfig } from './prometheus-config';
import { requireBinary } from './require-binary';
import { spawnService } from './service-process';
import { makeTmpDir, removeTmpDir } from './tmp-dir';
import { httpOk, waitReady } from './wait-ready';

const WAIT_POLL_MS = 250;

export interface PrometheusHandle {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** Instant query; the result vector. */
  query(promql: string): Promise<PromVectorSample[]>;
  /** Instant query; the whole JSON answer, whatever its result type or status. */
  queryRaw(promql: string): Promise<PromQueryResponse>;
  /**
   * Polls the query every 250 ms until `predicate` accepts its result. On timeout the error
   * holds the last result and each target's health and last scrape error.
   */
  waitFor(
    promql: string,
    predicate?: (result: PromVectorSample[]) => boolean,
    timeoutMs?: number,
  ): Promise<PromVectorSample[]>;
  /** The active scrape targets. */
  targets(): Promise<PromTarget[]>;
  /** `/api/v1/metadata`, optionally for one metric name. */
  metadata(metric?: string): Promise<Record<string, PromMetricMetadata[]>>;
  /** SIGTERM (SIGKILL after 5 s), then removes the data directory. */
  stop(): Promise<void>;
}

interface ActiveTargets {
  activeTargets: PromTarget[];
}

function describeTargets(targets: PromTarget[]): string {
  if (targets.length === 0) return 'no active target yet';
  return targets
    .map((t) => `${t.scrapeUrl} health=${t.health} lastError=${JSON.stringify(t.lastError)}`)
    .join('; ');
}

/**
 * Starts a real Prometheus on a free loopback port, scraping `targets` every second (one
 * static job `promkit`). The first scrape lands about 5-6 s after start: use `waitFor`.
 *
 * @example
 * const prom = await startPrometheus({ targets: [`127.0.0.1:${port}`] });
 * const [sample] = await prom.waitFor('http_requests_total');
 * await prom.stop();
 */
export async function startPrometheus(opts: PrometheusOptions): Promise<PrometheusHandle> {
  const binary = requireBinary('prometheus');
  const dir = await makeTmpDir('prometheus');
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, prometheusConfig(opts));
  const flags = [...(opts.extraFlags ?? [])];
  if (opts.nativeHistograms === true) flags.push('--enable-feature=native-histograms');

  try {
    const { proc, port } = await onFreePort(async (port) => {
      const proc = spawnService(
        'prometheus',
        binary,
        [
          `--config.file=${configFile}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          ...flags,
        ],
        dir,
      );
      await waitReady(proc, () => httpOk(`http://127.0.0.1:${port}/-/ready`));
      return { proc, port };
    });
    return prometheusHandle(`http://127.0.0.1:${port}`, port, async () => {
      await proc.stop();
      await removeTmpDir(dir);
    });
  } catch (error) {
    await removeTmpDir(dir);
    throw error;
  }
}

/** The query side of a handle, for any server that answers Prometheus' HTTP API. */
export function prometheusHandle(
  url: string,
  port: number,
  stop: () => Promise<void>,
): PrometheusHandle {
  const queryRaw = async (promql: string): Promise<PromQueryResponse> =>
    (await promGet(url, `/api/v1/query?query=${encodeURIComponent(promql)}`)) as PromQueryResponse;

  const query = async (promql: string): Promise<PromVectorSample[]> => {
    const body = await queryRaw(promql);
    if (body.status !== 'success' || body.data === undefined) {
      throw new ServiceApiError(`Query ${JSON.stringify(promql)} failed: ${body.error}`);
    }
    if (body.data.resultType !== 'vector') {
      throw new ServiceApiError(
        `Query ${JSON.stringify(promql)} gave a ${body.data.resultType}, not a vector: use queryRaw`,
      );
    }
    return body.data.result as PromVectorSample[];
  };

  const targets = async (): Promise<PromTarget[]> => {
    const data = await promData<ActiveTargets>(url, '/api/v1/targets?state=active');
    return data.activeTargets.map((t) => ({
      health: t.health,
      lastError: t.lastError,
      scrapeUrl: t.scrapeUrl,
      labels: t.labels,
    }));
  };

  return {
    url,
    port,
    query,
    queryRaw,
    targets,
    stop,
    metadata: (metric) =>
      promData(
        url,
        `/api/v1/metadata${metric === undefined ? '' : `?metric=${encodeURIComponent(metric)}`}`,
      ),
    async waitFor(promql, predicate = (result) => result.length > 0, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: PromVectorSample[] | undefined;
      let lastError: unknown;
      for (;;) {
        try {
          last = await query(promql);
          lastError = undefined;
          if (predicate(last)) return last;
        } catch (error) {
          lastError = error;
        }
        if (Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      }
      const targetState = await targets().then(describeTargets, (e: unknown) => String(e));
      const seen =
        lastError === undefined ? `last result ${JSON.stringify(last)}` : `last error ${lastError}`;
      throw new WaitTimeoutError(
        `Prometheus query ${JSON.stringify(promql)} did not match within ${timeoutMs} ms: ${seen}; targets: ${targetState}`,
        { cause: lastError },
      );
    },
  };
}
