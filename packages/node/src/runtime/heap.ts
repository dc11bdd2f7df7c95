import { getHeapSpaceStatistics } from 'node:v8';
import { type GaugeFamily, type GaugePoint, labelText } from '@promkit/core';
import { gaugeFamily, type RuntimeContext, type RuntimeGroup } from './runtime-family';

/** `nodejs_heap_size_{total,used}_bytes` and `nodejs_external_memory_bytes`. */
export function heapSize(ctx: RuntimeContext): RuntimeGroup {
  const total = `${ctx.prefix}nodejs_heap_size_total_bytes`;
  const used = `${ctx.prefix}nodejs_heap_size_used_bytes`;
  const external = `${ctx.prefix}nodejs_external_memory_bytes`;
  return {
    names: [total, used, external],
    collect() {
      const memory = process.memoryUsage();
      return [
        gaugeFamily(ctx, total, 'Process heap size from Node.js in bytes.', memory.heapTotal),
        gaugeFamily(ctx, used, 'Process heap size used from Node.js in bytes.', memory.heapUsed),
        gaugeFamily(ctx, external, 'Node.js external memory size in bytes.', memory.external),
      ];
    },
  };
}

const SPACE_KINDS = ['total', 'used', 'available'] as const;

/** `nodejs_heap_space_size_{total,used,available}_bytes{space}` from V8's heap spaces. */
export function heapSpaces(ctx: RuntimeContext): RuntimeGroup {
  const names = SPACE_KINDS.map((kind) => `${ctx.prefix}nodejs_heap_space_size_${kind}_bytes`);
  // Space names and their label text never change while the process runs.
  const labelsBySpace = new Map<string, { labels: Record<string, string>; labelText: string }>();
  const spaceLabels = (spaceName: string) => {
    let found = labelsBySpace.get(spaceName);
    if (found === undefined) {
      const suffix = spaceName.indexOf('_space');
      const labels = {
        space: suffix === -1 ? spaceName : spaceName.slice(0, suffix),
        ...ctx.labels,
      };
      found = { labels, labelText: labelText(labels) };
      labelsBySpace.set(spaceName, found);
    }
    return found;
  };
  return {
    names,
    collect() {
      const total: GaugePoint[] = [];
      const used: GaugePoint[] = [];
      const available: GaugePoint[] = [];
      for (const space of getHeapSpaceStatistics()) {
        const { labels, labelText: text } = spaceLabels(space.space_name);
        total.push({ labels, labelText: text, value: space.space_size });
        used.push({ labels, labelText: text, value: space.space_used_size });
        available.push({ labels, labelText: text, value: space.space_available_size });
      }
      const family = (index: number, points: GaugePoint[]): GaugeFamily => ({
        name: names[index]!,
        help: `Process heap space size ${SPACE_KINDS[index]} from Node.js in bytes.`,
        type: 'gauge',
        points,
      });
      return [family(0, total), family(1, used), family(2, available)];
    },
  };
}
