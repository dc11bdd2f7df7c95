import nodeCluster, { type Worker } from 'node:cluster';
import { aggregators } from './aggregators';
import { globalRegistry } from './global-registry';
import { Registry } from './registry';
import {
  type MetricSnapshot,
  PROMETHEUS_CONTENT_TYPE,
  type RegistrableMetric,
  type RegistryContentType,
} from './types';

// prom-client's message types, so a primary and workers on either library understand each other.
const GET_METRICS_REQ = 'prom-client:getMetricsReq';
const GET_METRICS_RES = 'prom-client:getMetricsRes';
const TIMEOUT_MS = 5000;

type ClusterModule = typeof nodeCluster;
function cluster(): ClusterModule {
  return nodeCluster;
}

interface PendingRequest {
  readonly responses: MetricSnapshot[][];
  pending: number;
  readonly done: (error: Error | null, result?: string) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

interface WorkerMessage {
  type?: string;
  requestId?: number;
  metrics?: MetricSnapshot[][];
  error?: string;
}

const KEY = Symbol.for('promkit.prom-client.cluster');
interface ClusterState {
  registries: Registry<RegistryContentType>[];
  requestCounter: number;
  listening: boolean;
  readonly requests: Map<number, PendingRequest>;
}
const holder = globalThis as { [KEY]?: ClusterState };
holder[KEY] ??= {
  registries: [globalRegistry as Registry<RegistryContentType>],
  requestCounter: 0,
  listening: false,
  requests: new Map(),
};
const state: ClusterState = holder[KEY];

/**
 * prom-client's `AggregatorRegistry`: in the cluster primary, `clusterMetrics()` asks every
 * worker for its metrics (as JSON over IPC) and aggregates them per metric's `aggregator`.
 * Workers answer automatically once this package is loaded in them.
 *
 * @example
 * const aggregator = new AggregatorRegistry();
 * http.createServer(async (_req, res) => res.end(await aggregator.clusterMetrics())).listen(9100);
 */
export class AggregatorRegistry<
  C extends RegistryContentType = typeof PROMETHEUS_CONTENT_TYPE,
> extends Registry<C> {
  constructor(contentType: C = PROMETHEUS_CONTENT_TYPE as C) {
    super(contentType);
    listen();
  }

  /** The aggregated metrics text of every connected worker ('' when there is none). */
  clusterMetrics(): Promise<string> {
    const requestId = state.requestCounter++;
    return new Promise((resolve, reject) => {
      let settled = false;
      const done = (error: Error | null, result?: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(request.timer);
        state.requests.delete(requestId);
        if (error) reject(error);
        else resolve(result ?? '');
      };
      const request: PendingRequest = {
        responses: [],
        pending: 0,
        done,
        timer: setTimeout(() => done(new Error('Operation timed out.')), TIMEOUT_MS),
      };
      state.requests.set(requestId, request);
      const workers = cluster().workers ?? {};
      for (const worker of Object.values(workers) as Array<Worker | undefined>) {
        if (worker?.isConnected()) {
          worker.send({ type: GET_METRICS_REQ, requestId });
          request.pending++;
        }
      }
      if (request.pending === 0) process.nextTick(() => done(null, ''));
    });
  }

  /**
   * A registry aggregating `metricsArr` (each the result of a worker's
   * `getMetricsAsJSON()`), metric by metric with its `aggregator` (default sum).
   */
  static aggregate<T extends RegistryContentType = typeof PROMETHEUS_CONTENT_TYPE>(
    metricsArr: ReadonlyArray<object>,
    registryType: T = PROMETHEUS_CONTENT_TYPE as T,
  ): Registry<T> {
    const aggregated = new Registry<T>(registryType);
    const byName = new Map<string, MetricSnapshot[]>();
    for (const metrics of metricsArr as ReadonlyArray<readonly MetricSnapshot[]>) {
      for (const metric of metrics) {
        const group = byName.get(metric.name);
        if (group === undefined) byName.set(metric.name, [metric]);
        else group.push(metric);
      }
    }
    for (const metrics of byName.values()) {
      const name = metrics[0]!.aggregator ?? 'sum';
      const aggregate = aggregators[name];
      if (typeof aggregate !== 'function') {
        throw new Error(`'${name}' is not a defined aggregator.`);
      }
      const result = aggregate(metrics);
      if (result === undefined) continue;
      const wrapper: RegistrableMetric = { ...result, get: () => result };
      aggregated.registerMetric(wrapper);
    }
    return aggregated;
  }

  /** Which registries a worker reports (default: the global `register`). */
  static setRegistries(
    registries: Registry<RegistryContentType> | Registry<RegistryContentType>[],
  ): void {
    const list = Array.isArray(registries) ? registries : [registries];
    for (const registry of list) {
      if (!(registry instanceof Registry)) {
        throw new TypeError(`Expected Registry, got ${typeof registry}`);
      }
    }
    state.registries = list;
  }
}

function onPrimaryMessage(_worker: Worker, message: WorkerMessage): void {
  if (message?.type !== GET_METRICS_RES || message.requestId === undefined) return;
  const request = state.requests.get(message.requestId);
  if (request === undefined) return;
  if (message.error) {
    request.done(new Error(message.error));
    return;
  }
  for (const metrics of message.metrics ?? []) request.responses.push(metrics);
  request.pending--;
  if (request.pending === 0) {
    try {
      const registry = AggregatorRegistry.aggregate(request.responses);
      registry.metrics().then(
        (text) => request.done(null, text),
        (error: Error) => request.done(error),
      );
    } catch (error) {
      request.done(error as Error);
    }
  }
}

function onWorkerMessage(message: WorkerMessage): void {
  if (message?.type !== GET_METRICS_REQ) return;
  Promise.all(state.registries.map((registry) => registry.getMetricsAsJSON())).then(
    (metrics) => process.send?.({ type: GET_METRICS_RES, requestId: message.requestId, metrics }),
    (error: Error) =>
      process.send?.({ type: GET_METRICS_RES, requestId: message.requestId, error: error.message }),
  );
}

/** Adds the primary's or the worker's IPC listener, once per process. */
export function listen(): void {
  if (state.listening) return;
  state.listening = true;
  const c = cluster();
  if (c.isPrimary) c.on('message', onPrimaryMessage);
  if (c.isWorker) process.on('message', onWorkerMessage);
}

/** Workers answer the primary as soon as this package is loaded, as with prom-client. */
export function listenIfWorker(): void {
  if (nodeCluster.isWorker) listen();
}
