import type { Registry } from '@promkit/core';
import { collectDefaultMetrics } from '@promkit/node';

export interface ProcessStatsHandle {
  stop(): void;
}

/** `--process-stats`: @promkit/node's process and Node.js runtime metrics in `registry`. */
export function startProcessStats(registry: Registry): ProcessStatsHandle {
  return collectDefaultMetrics({ registry });
}
