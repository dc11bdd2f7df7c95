import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { MetricFamily } from '@promkit/core';
import {
  counterFamily,
  gaugeFamily,
  type RuntimeContext,
  type RuntimeGroup,
} from './runtime-family';

const NS_PER_SECOND = 1e9;

interface DelayStats {
  min: number;
  max: number;
  mean: number;
  stddev: number;
  p50: number;
  p90: number;
  p99: number;
}

/** Resolves after the event loop has run the immediates queued before it, in seconds. */
function measureLag(): Promise<number> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    setImmediate(() => resolve(Number(process.hrtime.bigint() - start) / NS_PER_SECOND));
  });
}

/**
 * `nodejs_eventloop_lag_seconds` (one setImmediate round trip at scrape time) and the
 * `_min/_max/_mean/_stddev/_p50/_p90/_p99` statistics of `monitorEventLoopDelay`
 * since the previous scrape, as prom-client reports them.
 */
export function eventLoopLag(ctx: RuntimeContext, resolutionMs: number): RuntimeGroup {
  const p = ctx.prefix;
  const names = {
    lag: `${p}nodejs_eventloop_lag_seconds`,
    min: `${p}nodejs_eventloop_lag_min_seconds`,
    max: `${p}nodejs_eventloop_lag_max_seconds`,
    mean: `${p}nodejs_eventloop_lag_mean_seconds`,
    stddev: `${p}nodejs_eventloop_lag_stddev_seconds`,
    p50: `${p}nodejs_eventloop_lag_p50_seconds`,
    p90: `${p}nodejs_eventloop_lag_p90_seconds`,
    p99: `${p}nodejs_eventloop_lag_p99_seconds`,
  };
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  // Until the monitor has a sample (and between scrapes without one) the last
  // statistics stand, rather than libuv's sentinels (min 9.2e9 s, mean NaN).
  let last: DelayStats = { min: 0, max: 0, mean: 0, stddev: 0, p50: 0, p90: 0, p99: 0 };
  const read = (): DelayStats => {
    if (histogram.count > 0) {
      last = {
        min: histogram.min / NS_PER_SECOND,
        max: histogram.max / NS_PER_SECOND,
        mean: histogram.mean / NS_PER_SECOND,
        stddev: histogram.stddev / NS_PER_SECOND,
        p50: histogram.percentile(50) / NS_PER_SECOND,
        p90: histogram.percentile(90) / NS_PER_SECOND,
        p99: histogram.percentile(99) / NS_PER_SECOND,
      };
      histogram.reset();
    }
    return last;
  };
  return {
    names: Object.values(names),
    aggregation: {
      [names.lag]: 'average',
      [names.min]: 'min',
      [names.max]: 'max',
      [names.mean]: 'average',
      [names.stddev]: 'average',
      [names.p50]: 'average',
      [names.p90]: 'average',
      [names.p99]: 'average',
    },
    async collect(): Promise<MetricFamily[]> {
      const stats = read();
      const lag = await measureLag();
      return [
        gaugeFamily(ctx, names.lag, 'Lag of event loop in seconds.', lag),
        gaugeFamily(ctx, names.min, 'The minimum recorded event loop delay.', stats.min),
        gaugeFamily(ctx, names.max, 'The maximum recorded event loop delay.', stats.max),
        gaugeFamily(ctx, names.mean, 'The mean of the recorded event loop delays.', stats.mean),
        gaugeFamily(
          ctx,
          names.stddev,
          'The standard deviation of the recorded event loop delays.',
          stats.stddev,
        ),
        gaugeFamily(
          ctx,
          names.p50,
          'The 50th percentile of the recorded event loop delays.',
          stats.p50,
        ),
        gaugeFamily(
          ctx,
          names.p90,
          'The 90th percentile of the recorded event loop delays.',
          stats.p90,
        ),
        gaugeFamily(
          ctx,
          names.p99,
          'The 99th percentile of the recorded event loop delays.',
          stats.p99,
        ),
      ];
    },
    stop() {
      histogram.disable();
    },
  };
}

/**
 * Event loop utilization as two counters, `nodejs_eventloop_active_seconds_total` and
 * `nodejs_eventloop_idle_seconds_total` (promkit's names; prom-client 15 has none).
 * Counters need no timer and no per-scrape state, and any window's utilization is
 * `rate(active) / (rate(active) + rate(idle))`.
 */
export function eventLoopUtilization(ctx: RuntimeContext): RuntimeGroup {
  const active = `${ctx.prefix}nodejs_eventloop_active_seconds_total`;
  const idle = `${ctx.prefix}nodejs_eventloop_idle_seconds_total`;
  return {
    names: [active, idle],
    collect() {
      const elu = performance.eventLoopUtilization();
      return [
        counterFamily(
          ctx,
          active,
          'Time the event loop spent outside the event provider (busy), in seconds.',
          elu.active / 1000,
        ),
        counterFamily(
          ctx,
          idle,
          'Time the event loop spent idle in the event provider, in seconds.',
          elu.idle / 1000,
        ),
      ];
    },
  };
}
