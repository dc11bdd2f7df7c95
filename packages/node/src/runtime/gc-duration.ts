import { constants, PerformanceObserver } from 'node:perf_hooks';
import { Histogram } from '@promkit/core';
import type { RuntimeContext, RuntimeGroup } from './runtime-family';

export const DEFAULT_GC_DURATION_BUCKETS: readonly number[] = [0.001, 0.01, 0.1, 1, 2, 5];

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** `nodejs_gc_duration_seconds{kind}`, observed by a `PerformanceObserver` on `gc` entries. */
export function gcDuration(ctx: RuntimeContext, buckets: readonly number[]): RuntimeGroup {
  const name = `${ctx.prefix}nodejs_gc_duration_seconds`;
  const histogram = new Histogram(
    name,
    'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
    {
      labelNames: ['kind'] as const,
      constLabels: ctx.labels,
      buckets: [...buckets],
      registry: null,
    },
  );
  const children = new Map<string, ReturnType<typeof histogram.labels>>();
  const childFor = (kind: string) => {
    let child = children.get(kind);
    if (child === undefined) {
      child = histogram.labels({ kind });
      children.set(kind, child);
    }
    return child;
  };
  const observer = new PerformanceObserver((list) => {
    // Every entry of the batch, not only the first (prom-client drops the rest).
    for (const entry of list.getEntries()) {
      const detail = (entry as { detail?: unknown }).detail as { kind?: number } | null | undefined;
      const kind = GC_KINDS[detail?.kind ?? -1] ?? 'unknown';
      childFor(kind).observe(entry.duration / 1000);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return {
    names: [name],
    collect: () => [histogram.collect()],
    stop() {
      observer.disconnect();
    },
  };
}
