import { ConfigError } from '@promkit/core';

/**
 * How the per-process values of a gauge (or info, state set) are combined at scrape
 * time, as Python's multiprocess mode. `live*` modes only count processes whose
 * heartbeat is fresh; the others also keep a dead process's last values until its
 * gauges expire.
 */
export type GaugeMode =
  | 'all'
  | 'liveall'
  | 'sum'
  | 'livesum'
  | 'min'
  | 'livemin'
  | 'max'
  | 'livemax'
  | 'mostrecent'
  | 'livemostrecent';

/** The mode without its `live` prefix: how values are combined. */
export type Aggregation = 'all' | 'sum' | 'min' | 'max' | 'mostrecent';

export const GAUGE_MODES: readonly GaugeMode[] = Object.freeze([
  'all',
  'liveall',
  'sum',
  'livesum',
  'min',
  'livemin',
  'max',
  'livemax',
  'mostrecent',
  'livemostrecent',
]);

/** Modes that keep an info's or state set's values meaningful (no sums of 0/1 states). */
const MODES_BY_KIND: Readonly<Record<'gauge' | 'info' | 'stateset', readonly GaugeMode[]>> = {
  gauge: GAUGE_MODES,
  info: ['all', 'liveall', 'mostrecent', 'livemostrecent'],
  stateset: ['all', 'liveall', 'min', 'livemin', 'max', 'livemax', 'mostrecent', 'livemostrecent'],
};

export function isLiveMode(mode: GaugeMode): boolean {
  return mode.startsWith('live');
}

export function aggregationOf(mode: GaugeMode): Aggregation {
  return (isLiveMode(mode) ? mode.slice(4) : mode) as Aggregation;
}

/** Throws `ConfigError` unless `mode` is valid for a metric of that kind. */
export function checkGaugeMode(
  metric: string,
  kind: 'gauge' | 'info' | 'stateset',
  mode: unknown,
): GaugeMode {
  const allowed = MODES_BY_KIND[kind];
  if (typeof mode !== 'string' || !allowed.includes(mode as GaugeMode)) {
    throw new ConfigError(
      `Metric "${metric}": gauge mode ${JSON.stringify(mode)} is not valid for a ${kind}; expected one of ${allowed.join(', ')}`,
    );
  }
  return mode as GaugeMode;
}
