import type { MetricFamily } from '@promkit/core';
import { maxFds, openFds, procMemory } from './proc-self';
import {
  counterFamily,
  gaugeFamily,
  type RuntimeContext,
  type RuntimeGroup,
} from './runtime-family';

const START_TIME_SECONDS = Date.now() / 1000 - process.uptime();

/** `process_cpu_{user,system}_seconds_total` and `process_cpu_seconds_total`. */
export function processCpu(ctx: RuntimeContext): RuntimeGroup {
  const user = `${ctx.prefix}process_cpu_user_seconds_total`;
  const system = `${ctx.prefix}process_cpu_system_seconds_total`;
  const total = `${ctx.prefix}process_cpu_seconds_total`;
  return {
    names: [user, system, total],
    collect() {
      const usage = process.cpuUsage();
      return [
        counterFamily(ctx, user, 'Total user CPU time spent in seconds.', usage.user / 1e6),
        counterFamily(ctx, system, 'Total system CPU time spent in seconds.', usage.system / 1e6),
        counterFamily(
          ctx,
          total,
          'Total user and system CPU time spent in seconds.',
          (usage.user + usage.system) / 1e6,
        ),
      ];
    },
  };
}

/** `process_start_time_seconds`. */
export function processStartTime(ctx: RuntimeContext): RuntimeGroup {
  const name = `${ctx.prefix}process_start_time_seconds`;
  return {
    names: [name],
    // The earliest start among the workers; prom-client omits it instead.
    aggregation: { [name]: 'min' },
    collect: () => [
      gaugeFamily(
        ctx,
        name,
        'Start time of the process since unix epoch in seconds.',
        START_TIME_SECONDS,
      ),
    ],
  };
}

/**
 * `process_resident_memory_bytes`, and on Linux `process_virtual_memory_bytes` and
 * `process_heap_bytes` (VmData) from `/proc/self/status`.
 */
export function processMemory(ctx: RuntimeContext): RuntimeGroup {
  const resident = `${ctx.prefix}process_resident_memory_bytes`;
  const virtual = `${ctx.prefix}process_virtual_memory_bytes`;
  const heap = `${ctx.prefix}process_heap_bytes`;
  const linux = procMemory() !== undefined;
  return {
    names: linux ? [resident, virtual, heap] : [resident],
    collect() {
      const memory = procMemory();
      if (memory === undefined) {
        return [
          gaugeFamily(ctx, resident, 'Resident memory size in bytes.', process.memoryUsage.rss()),
        ];
      }
      return [
        gaugeFamily(ctx, resident, 'Resident memory size in bytes.', memory.residentBytes),
        gaugeFamily(ctx, virtual, 'Virtual memory size in bytes.', memory.virtualBytes),
        gaugeFamily(ctx, heap, 'Process heap size in bytes.', memory.dataBytes),
      ];
    },
  };
}

/** `process_open_fds` and `process_max_fds` (Linux only; nothing elsewhere). */
export function processFds(ctx: RuntimeContext): RuntimeGroup | undefined {
  if (openFds() === undefined) return undefined;
  const open = `${ctx.prefix}process_open_fds`;
  const max = `${ctx.prefix}process_max_fds`;
  return {
    names: [open, max],
    collect() {
      const families: MetricFamily[] = [];
      const openCount = openFds();
      if (openCount !== undefined) {
        families.push(gaugeFamily(ctx, open, 'Number of open file descriptors.', openCount));
      }
      const limit = maxFds();
      if (limit !== undefined) {
        families.push(gaugeFamily(ctx, max, 'Maximum number of open file descriptors.', limit));
      }
      return families;
    },
  };
}
