import type { ValueColumns } from '../snapshot';
import { formatValue } from './escape';
import { sampleHead, sampleOpen } from './name-escaping';

/**
 * Sample lines of points `from`..`to` of a family given as columns: `name{labels} value`
 * per series and, with `createdName`, a `_created` line after each (OpenMetrics
 * counters). The lines the point writers make for the same points, without a point
 * object and a label object per series.
 */
export function columnSamples(
  name: string,
  columns: ValueColumns,
  from: number,
  to: number,
  q: boolean,
  createdName?: string,
): string {
  const open = sampleOpen(name, q);
  const bare = sampleHead(name, '', q);
  const { indices, values, series } = columns;
  const created = createdName === undefined ? undefined : columns.created;
  const createdOpen = createdName === undefined ? '' : sampleOpen(createdName, q);
  const createdBare = createdName === undefined ? '' : sampleHead(createdName, '', q);
  let out = '';
  for (let i = from; i < to; i++) {
    const index = indices[i]!;
    const text = series.labelTextOf(index);
    out +=
      text === ''
        ? `${bare}${formatValue(values[index]!)}\n`
        : `${open}${text}} ${formatValue(values[index]!)}\n`;
    if (created !== undefined) {
      out +=
        text === ''
          ? `${createdBare}${formatValue(created.seconds(index))}\n`
          : `${createdOpen}${text}} ${formatValue(created.seconds(index))}\n`;
    }
  }
  // Reading a character makes V8 copy the rope into one flat string now, while its
  // pieces are still young: a page of ropes would carry them through every scavenge.
  out.charCodeAt(0);
  return out;
}
