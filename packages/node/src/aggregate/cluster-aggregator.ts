import cluster, { type Worker as ClusterWorker } from 'node:cluster';
import { type Collector, ConfigError, REGISTRY } from '@promkit/core';
import {
  type AggregatorOptions,
  aggregate,
  type MetricsAggregator,
  resolveAggregatorOptions,
} from './aggregator';
import { answer, isCollectRequest, isCollectResponse } from './collect-protocol';
import { type Peer, SnapshotGatherer, sendFailed } from './snapshot-gatherer';

export type ClusterAggregatorOptions = AggregatorOptions;

/** Stops a worker from answering metric requests. */
export interface Exposure {
  stop(): void;
}

/**
 * In the cluster primary: a source for `Service` (or any `render()`) that asks every
 * connected worker for its registry and merges the answers. Workers call
 * `exposeToCluster()`. A worker that does not answer within `timeoutMs` is left out of
 * that scrape.
 *
 * @example
 * if (cluster.isPrimary) {
 *   for (let i = 0; i < 4; i++) cluster.fork();
 *   const aggregator = createClusterAggregator({ timeoutMs: 2000 });
 *   await new Service({ registry: aggregator }).start({ port: 9100 });
 * } else {
 *   exposeToCluster(REGISTRY);
 * }
 */
export function createClusterAggregator(options: ClusterAggregatorOptions = {}): MetricsAggregator {
  if (!cluster.isPrimary) {
    throw new ConfigError(
      'createClusterAggregator: call it in the cluster primary, not in a worker',
    );
  }
  const resolved = resolveAggregatorOptions(options, 'primary');
  const gatherer = new SnapshotGatherer();
  const onMessage = (worker: ClusterWorker, message: unknown): void => {
    if (isCollectResponse(message)) gatherer.receive(String(worker.id), message);
  };
  const onExit = (worker: ClusterWorker): void => gatherer.peerGone(String(worker.id));
  cluster.on('message', onMessage);
  cluster.on('exit', onExit);
  cluster.on('disconnect', onExit);
  return {
    collect() {
      const peers: Peer[] = [];
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (worker === undefined || !worker.isConnected()) continue;
        const id = String(worker.id);
        peers.push({
          id,
          // With a callback a failed delivery is reported here instead of as an 'error' event.
          send: (request) =>
            worker.send(request, undefined, undefined, (error: Error | null) => {
              if (error) gatherer.peerFailed(id, sendFailed(id, error));
            }),
        });
      }
      return aggregate(gatherer, peers, resolved);
    },
    close() {
      cluster.off('message', onMessage);
      cluster.off('exit', onExit);
      cluster.off('disconnect', onExit);
    },
  };
}

/**
 * In a cluster worker (or any child process with an IPC channel): answers the primary's
 * metric requests with this registry's snapshot.
 *
 * @example
 * exposeToCluster(registry);
 */
export function exposeToCluster(registry: Collector = REGISTRY): Exposure {
  const send = process.send?.bind(process);
  if (send === undefined) {
    throw new ConfigError(
      'exposeToCluster: this process has no IPC channel (it was not started by cluster.fork or child_process.fork)',
    );
  }
  const onMessage = (message: unknown): void => {
    if (!isCollectRequest(message)) return;
    void answer(registry, message).then((response) => {
      // The primary may be gone by now; a failed send only means nobody waits.
      if (process.connected) send(response, undefined, undefined, () => {});
    });
  };
  process.on('message', onMessage);
  return {
    stop() {
      process.off('message', onMessage);
    },
  };
}
