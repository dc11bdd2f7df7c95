import {
  type Collector,
  ConfigError,
  collectFamilies,
  type GaugeFamily,
  labelText,
  type MetricFamily,
} from '@promkit/core';
import { isAggregation } from './aggregation';
import { aggregationHints } from './aggregation-hints';
import { type MergeOptions, mergeFamilies, type WorkerSnapshot } from './merge-families';
import type { Peer, SnapshotGatherer } from './snapshot-gatherer';

export interface AggregatorOptions extends MergeOptions {
  /** Longest wait for workers per scrape; late workers are left out. Default 5000 ms. */
  readonly timeoutMs?: number;
  /**
   * The primary's (or main thread's) own metrics, merged in as worker `primary`
   * (`main` for worker_threads). Default: none.
   */
  readonly registry?: Collector;
}

/** The family reporting how many workers answered the last scrape. */
export const AGGREGATED_WORKERS_METRIC = 'promkit_aggregated_workers';

/** What a scrape of the primary renders: workers' metrics merged into one set. */
export interface MetricsAggregator {
  /** Asks every worker, waits at most `timeoutMs`, and merges what arrived. */
  collect(): Promise<MetricFamily[]>;
  /** Stops listening for worker answers. */
  close(): void;
}

export interface ResolvedAggregatorOptions {
  readonly timeoutMs: number;
  readonly merge: MergeOptions;
  readonly own: { readonly source: Collector; readonly worker: string } | undefined;
}

export function resolveAggregatorOptions(
  options: AggregatorOptions,
  ownWorkerName: string,
): ResolvedAggregatorOptions {
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new ConfigError(
      `metrics aggregator: timeoutMs must be a positive number, got ${timeoutMs}`,
    );
  }
  for (const [name, aggregation] of Object.entries(options.aggregation ?? {})) {
    if (!isAggregation(aggregation)) {
      throw new ConfigError(
        `metrics aggregator: "${name}" has unknown aggregation ${JSON.stringify(aggregation)}`,
      );
    }
  }
  if (options.gaugeAggregation !== undefined && !isAggregation(options.gaugeAggregation)) {
    throw new ConfigError(
      `metrics aggregator: unknown gaugeAggregation ${JSON.stringify(options.gaugeAggregation)}`,
    );
  }
  const onError =
    options.onError ?? ((error: Error) => console.warn(`promkit aggregator: ${error.message}`));
  return {
    timeoutMs,
    merge: { ...options, onError },
    own:
      options.registry === undefined
        ? undefined
        : { source: options.registry, worker: ownWorkerName },
  };
}

/** One scrape: the workers' snapshots (and the own registry's), merged, plus the health family. */
export async function aggregate(
  gatherer: SnapshotGatherer,
  peers: readonly Peer[],
  options: ResolvedAggregatorOptions,
): Promise<MetricFamily[]> {
  const onError = options.merge.onError!;
  const ownSnapshot = collectOwn(options);
  const result = await gatherer.gather(peers, options.timeoutMs);
  const snapshots: WorkerSnapshot[] = [];
  const own = await ownSnapshot;
  if (own !== undefined) snapshots.push(own);
  snapshots.push(...result.snapshots);
  for (const { error } of result.failed) onError(error);
  if (result.timedOut.length > 0) {
    onError(
      new Error(
        `worker(s) ${result.timedOut.join(', ')} did not answer within ${options.timeoutMs} ms; serving the others' metrics`,
      ),
    );
  }
  const families = mergeFamilies(snapshots, options.merge);
  families.push(
    workersFamily(result.snapshots.length, result.timedOut.length, result.failed.length),
  );
  return families;
}

async function collectOwn(options: ResolvedAggregatorOptions): Promise<WorkerSnapshot | undefined> {
  if (options.own === undefined) return undefined;
  const { source, worker } = options.own;
  try {
    return { worker, families: await collectFamilies(source), hints: aggregationHints(source) };
  } catch (error) {
    options.merge.onError!(error instanceof Error ? error : new Error(String(error)));
    return undefined;
  }
}

function workersFamily(answered: number, timedOut: number, failed: number): GaugeFamily {
  const point = (outcome: string, value: number) => {
    const labels = { outcome };
    return { labels, labelText: labelText(labels), value };
  };
  return {
    name: AGGREGATED_WORKERS_METRIC,
    help: 'Workers asked for metrics in the last scrape, by outcome (answered, timed_out, failed).',
    type: 'gauge',
    points: [point('answered', answered), point('timed_out', timedOut), point('failed', failed)],
  };
}
