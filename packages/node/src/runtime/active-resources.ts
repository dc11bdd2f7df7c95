import type { MetricFamily } from '@promkit/core';
import {
  gaugeByLabel,
  gaugeFamily,
  type RuntimeContext,
  type RuntimeGroup,
} from './runtime-family';

// Undocumented but long-standing Node APIs prom-client reads too; absent ones are skipped.
interface ProcessInternals {
  _getActiveHandles?: () => object[];
  _getActiveRequests?: () => object[];
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

function className(value: object): string {
  return value?.constructor?.name ?? 'Object';
}

/**
 * `nodejs_active_handles`, `nodejs_active_requests`, `nodejs_active_resources` (by
 * type) and their `_total` gauges.
 */
export function activeResources(ctx: RuntimeContext): RuntimeGroup {
  const p = ctx.prefix;
  const internals = process as unknown as ProcessInternals;
  const names: string[] = [];
  const hasHandles = typeof internals._getActiveHandles === 'function';
  const hasRequests = typeof internals._getActiveRequests === 'function';
  const hasResources = typeof process.getActiveResourcesInfo === 'function';
  if (hasHandles) names.push(`${p}nodejs_active_handles`, `${p}nodejs_active_handles_total`);
  if (hasRequests) names.push(`${p}nodejs_active_requests`, `${p}nodejs_active_requests_total`);
  if (hasResources) names.push(`${p}nodejs_active_resources`, `${p}nodejs_active_resources_total`);
  return {
    names,
    collect() {
      const families: MetricFamily[] = [];
      if (hasHandles) {
        const handles = internals._getActiveHandles!();
        families.push(
          gaugeByLabel(
            ctx,
            `${p}nodejs_active_handles`,
            'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
            'type',
            countBy(handles, className),
          ),
          gaugeFamily(
            ctx,
            `${p}nodejs_active_handles_total`,
            'Total number of active handles.',
            handles.length,
          ),
        );
      }
      if (hasRequests) {
        const requests = internals._getActiveRequests!();
        families.push(
          gaugeByLabel(
            ctx,
            `${p}nodejs_active_requests`,
            'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
            'type',
            countBy(requests, className),
          ),
          gaugeFamily(
            ctx,
            `${p}nodejs_active_requests_total`,
            'Total number of active requests.',
            requests.length,
          ),
        );
      }
      if (hasResources) {
        const resources = process.getActiveResourcesInfo();
        families.push(
          gaugeByLabel(
            ctx,
            `${p}nodejs_active_resources`,
            'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
            'type',
            countBy(resources, (type) => type),
          ),
          gaugeFamily(
            ctx,
            `${p}nodejs_active_resources_total`,
            'Total number of active resources.',
            resources.length,
          ),
        );
      }
      return families;
    },
  };
}
