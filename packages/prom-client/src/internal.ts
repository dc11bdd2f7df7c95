import type { MetricFamily } from '@promkit/core';
import type { StoredLabels } from './labels';

/** Runs the metric's `collect` callback (if any); a promise when it is async. */
export const RUN_COLLECT = Symbol.for('promkit.prom-client.runCollect');
/** prom-client's text for the metric (HELP, TYPE and samples), lines joined by `\n`. */
export const WRITE_TEXT = Symbol.for('promkit.prom-client.writeText');
/** The metric as a promkit `MetricFamily` (for promkit's exposition). */
export const TO_FAMILY = Symbol.for('promkit.prom-client.toFamily');
/** Releases background resources when a registry drops the metric (default metrics). */
export const RELEASE = Symbol.for('promkit.prom-client.release');

/** What this package's own metric classes implement beyond prom-client's API. */
export interface NativeMetric {
  readonly name: string;
  [RUN_COLLECT](): void | Promise<void>;
  [WRITE_TEXT](openMetrics: boolean, defaultLabels: StoredLabels | undefined): string;
  [TO_FAMILY](defaultLabels: StoredLabels | undefined): MetricFamily;
}

export function isNative(metric: object): metric is NativeMetric {
  return typeof (metric as Partial<NativeMetric>)[WRITE_TEXT] === 'function';
}

export function isPromise(value: unknown): value is Promise<unknown> {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
