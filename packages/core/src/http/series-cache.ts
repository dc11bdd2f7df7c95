import type { Counter, CounterChild } from '../metrics/counter';
import type { Histogram, HistogramChild } from '../metrics/histogram';

/** The bound series one finished request of a (method, path, status) touches. */
export interface RequestSeries {
  readonly requests: CounterChild | undefined;
  readonly responses: CounterChild | undefined;
  readonly exceptions: CounterChild | undefined;
  readonly statusCodes: CounterChild | undefined;
  readonly duration: HistogramChild | undefined;
}

interface LastSeries {
  readonly method: string;
  readonly path: string;
  readonly code: string;
  readonly series: RequestSeries;
}

/** Distinct (method, path) pairs kept; past this the cache is emptied and refilled. */
const MAX_CACHED_ROUTES = 10_000;

/**
 * Bound children by method, path and status, so recording a request is three map lookups
 * and five additions with no label key built. Emptied when any metric's generation moves.
 */
export class SeriesCache {
  /** method → path → status label → series. */
  private readonly routes = new Map<string, Map<string, Map<string, RequestSeries>>>();
  private size = 0;
  private stamp = -1;
  /** The series of the last lookup, valid while `stamp` is. */
  private last: LastSeries | undefined = undefined;

  constructor(
    private readonly requests: Counter<string> | undefined,
    private readonly responses: Counter<string> | undefined,
    private readonly exceptions: Counter<string> | undefined,
    private readonly statusCodes: Counter<string> | undefined,
    private readonly duration: Histogram<string> | undefined,
  ) {}

  series(method: string, path: string, code: string): RequestSeries {
    const stamp = this.currentStamp();
    const last = this.last;
    // Consecutive requests often share their series: compared, not looked up. (The lookup
    // is a method of its own, so that this stays small enough to inline into the caller.)
    if (
      last !== undefined &&
      stamp === this.stamp &&
      code === last.code &&
      path === last.path &&
      method === last.method
    ) {
      return last.series;
    }
    return this.lookup(method, path, code, stamp);
  }

  private lookup(method: string, path: string, code: string, stamp: number): RequestSeries {
    if (stamp !== this.stamp || this.size >= MAX_CACHED_ROUTES) {
      this.routes.clear();
      this.size = 0;
      this.stamp = stamp;
    }
    let byPath = this.routes.get(method);
    if (byPath === undefined) {
      byPath = new Map();
      this.routes.set(method, byPath);
    }
    let byStatus = byPath.get(path);
    if (byStatus === undefined) {
      byStatus = new Map();
      byPath.set(path, byStatus);
      this.size++;
    }
    const series = byStatus.get(code) ?? this.bind(byStatus, method, path, code);
    this.last = { method, path, code, series };
    return series;
  }

  private bind(
    byStatus: Map<string, RequestSeries>,
    method: string,
    path: string,
    code: string,
  ): RequestSeries {
    // The route's children are shared by its statuses: bound once per (method, path).
    const first = byStatus.values().next().value;
    const route = { method, path };
    const withStatus = { method, path, status_code: code };
    const series: RequestSeries = {
      requests: first === undefined ? this.requests?.labels(route) : first.requests,
      responses: first === undefined ? this.responses?.labels(route) : first.responses,
      exceptions: first === undefined ? this.exceptions?.labels(route) : first.exceptions,
      statusCodes: this.statusCodes?.labels(withStatus),
      duration: this.duration?.labels(withStatus),
    };
    byStatus.set(code, series);
    return series;
  }

  /** The sum of the metrics' generations; one read per metric, each site of one class. */
  private currentStamp(): number {
    const { requests, responses, exceptions, statusCodes, duration } = this;
    return (
      (requests === undefined ? 0 : requests.generation) +
      (responses === undefined ? 0 : responses.generation) +
      (exceptions === undefined ? 0 : exceptions.generation) +
      (statusCodes === undefined ? 0 : statusCodes.generation) +
      (duration === undefined ? 0 : duration.generation)
    );
  }
}
