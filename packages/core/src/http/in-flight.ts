import type { Gauge, GaugeChild } from '../metrics/gauge';

/**
 * The in-flight gauge's one series, bound: `inc()`/`dec()` on the child skip the metric's
 * argument checks and series lookup, and are small enough to inline into the request hooks.
 * Bound again whenever the gauge's generation moves (`reset()`, `remove()`), which detaches
 * the old child.
 */
export class InFlightSeries {
  private child: GaugeChild | undefined = undefined;
  private generation = -1;

  constructor(private readonly gauge: Gauge<never>) {}

  inc(): void {
    this.bound().inc();
  }

  dec(): void {
    this.bound().dec();
  }

  private bound(): GaugeChild {
    const child = this.child;
    if (child !== undefined && this.generation === this.gauge.generation) return child;
    return this.bind();
  }

  private bind(): GaugeChild {
    this.generation = this.gauge.generation;
    const child = this.gauge.labels();
    this.child = child;
    return child;
  }
}
