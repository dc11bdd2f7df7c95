import type { Counter, CounterChild } from '../metrics/counter';
import type { Histogram, HistogramChild } from '../metrics/histogram';

/** The bound series of one (method, path, status). */
export interface StatusSeries {
  readonly statusCodes: CounterChild | undefined;
  readonly duration: HistogramChild | undefined;
}

/** The bound series of one (method, path): a finished request touches only these. */
export interface RouteSeries {
  readonly requests: CounterChild | undefined;
  readonly responses: CounterChild | undefined;
  readonly exceptions: CounterChild | undefined;
  readonly byStatus: Map<string, StatusSeries>;
}

/** Distinct (method, path) pairs kept; past this the cache is emptied and refilled. */
const MAX_CACHED_ROUTES = 10_000;

/**
 * Bound children by method, path and status, so recording a request is a few map lookups
 * and additions with no label key built. Emptied when any metric's generation moves.
 */
export class SeriesCache {
  private readonly routes = new Map<string, Map<string, RouteSeries>>();
  private size = 0;
  private stamp = -1;

  constructor(
    private readonly requests: Counter<string> | undefined,
    private readonly responses: Counter<string> | undefined,
    private readonly exceptions: Counter<string> | undefined,
    private readonly statusCodes: Counter<string> | undefined,
    private readonly duration: Histogram<string> | undefined,
  ) {}

  route(method: string, path: string): RouteSeries {
    const stamp = this.currentStamp();
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
    let series = byPath.get(path);
    if (series === undefined) {
      const labels = { method, path };
      series = {
        requests: this.requests?.labels(labels),
        responses: this.responses?.labels(labels),
        exceptions: this.exceptions?.labels(labels),
        byStatus: new Map(),
      };
      byPath.set(path, series);
      this.size++;
    }
    return series;
  }

  status(route: RouteSeries, method: string, path: string, code: string): StatusSeries {
    let series = route.byStatus.get(code);
    if (series === undefined) {
      const labels = { method, path, status_code: code };
      series = {
        statusCodes: this.statusCodes?.labels(labels),
        duration: this.duration?.labels(labels),
      };
      route.byStatus.set(code, series);
    }
    return series;
  }

  private currentStamp(): number {
    return (
      generation(this.requests) +
      generation(this.responses) +
      generation(this.exceptions) +
      generation(this.statusCodes) +
      generation(this.duration)
    );
  }
}

function generation(metric: { readonly generation: number } | undefined): number {
  return metric === undefined ? 0 : metric.generation;
}
