import type { ChildProcess } from 'node:child_process';
import { parentPort, type Worker } from 'node:worker_threads';
import { type Collector, ConfigError, REGISTRY } from '@promkit/core';
import {
  type AggregatorOptions,
  aggregate,
  type MetricsAggregator,
  resolveAggregatorOptions,
} from './aggregator';
import type { Exposure } from './cluster-aggregator';
import { answer, isCollectRequest, isCollectResponse } from './collect-protocol';
import { type Peer, SnapshotGatherer, sendFailed } from './snapshot-gatherer';

export interface WorkerAggregatorOptions extends AggregatorOptions {
  /** Workers to aggregate from the start; more can be added with `add()`. */
  readonly workers?: ReadonlyArray<Worker | ChildProcess>;
}

export interface WorkerAggregator extends MetricsAggregator {
  /** Starts aggregating a worker thread (or forked child); it is dropped when it exits. */
  add(worker: Worker | ChildProcess, name?: string): void;
  /** Stops aggregating a worker. */
  remove(worker: Worker | ChildProcess): void;
}

interface Tracked {
  readonly peer: Peer;
  readonly detach: () => void;
}

/**
 * In the main thread: merges the registries of `worker_threads` workers (which call
 * `exposeToParentPort()`), or of forked children (which call `exposeToCluster()`).
 *
 * @example
 * const aggregator = createWorkerAggregator({ registry: REGISTRY });
 * aggregator.add(new Worker('./worker.js'));
 * await new Service({ registry: aggregator }).start({ port: 9100 });
 */
export function createWorkerAggregator(options: WorkerAggregatorOptions = {}): WorkerAggregator {
  const resolved = resolveAggregatorOptions(options, 'main');
  const gatherer = new SnapshotGatherer();
  const tracked = new Map<Worker | ChildProcess, Tracked>();
  let nextName = 1;

  const remove = (worker: Worker | ChildProcess): void => {
    const entry = tracked.get(worker);
    if (entry === undefined) return;
    tracked.delete(worker);
    entry.detach();
    gatherer.peerGone(entry.peer.id);
  };

  const add = (worker: Worker | ChildProcess, name?: string): void => {
    if (tracked.has(worker)) return;
    const id = name ?? defaultName(worker, nextName++);
    const onMessage = (message: unknown): void => {
      if (isCollectResponse(message)) gatherer.receive(id, message);
    };
    const onExit = (): void => remove(worker);
    let send: (request: unknown) => void;
    if (isChildProcess(worker)) {
      if (typeof worker.send !== 'function') {
        throw new ConfigError(`createWorkerAggregator: child process ${id} has no IPC channel`);
      }
      send = (request) => {
        if (!worker.connected) throw new Error(`child process ${id} is disconnected`);
        worker.send(request as object, undefined, undefined, (error: Error | null) => {
          if (error) gatherer.peerFailed(id, sendFailed(id, error));
        });
      };
    } else {
      send = (request) => worker.postMessage(request);
    }
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    tracked.set(worker, {
      peer: { id, send },
      detach: () => {
        worker.off('message', onMessage);
        worker.off('exit', onExit);
      },
    });
  };

  for (const worker of options.workers ?? []) add(worker);

  return {
    add,
    remove,
    collect: () =>
      aggregate(
        gatherer,
        [...tracked.values()].map((entry) => entry.peer),
        resolved,
      ),
    close() {
      for (const worker of [...tracked.keys()]) remove(worker);
    },
  };
}

function isChildProcess(worker: Worker | ChildProcess): worker is ChildProcess {
  return typeof (worker as ChildProcess).kill === 'function' && 'pid' in worker;
}

function defaultName(worker: Worker | ChildProcess, sequence: number): string {
  if (isChildProcess(worker))
    return worker.pid === undefined ? `child-${sequence}` : String(worker.pid);
  return String(worker.threadId);
}

/**
 * In a `worker_threads` worker: answers the main thread's metric requests with this
 * registry's snapshot.
 *
 * @example
 * collectDefaultMetrics({ registry }); // per-thread heap, event loop and GC metrics
 * exposeToParentPort(registry);
 */
export function exposeToParentPort(registry: Collector = REGISTRY): Exposure {
  const port = parentPort;
  if (port === null) {
    throw new ConfigError('exposeToParentPort: call it inside a worker_threads worker');
  }
  const onMessage = (message: unknown): void => {
    if (!isCollectRequest(message)) return;
    void answer(registry, message).then((response) => port.postMessage(response));
  };
  port.on('message', onMessage);
  return {
    stop() {
      port.off('message', onMessage);
    },
  };
}
