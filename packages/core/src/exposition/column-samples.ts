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
  // Flat now, once: every line starts with one of these, and a tree would be walked per line.
  const open = flat(sampleOpen(name, q));
  const bare = flat(sampleHead(name, '', q));
  const { indices, values, series } = columns;
  const created = createdName === undefined ? undefined : columns.created;
  const createdOpen = createdName === undefined ? '' : flat(sampleOpen(createdName, q));
  const createdBare = createdName === undefined ? '' : flat(sampleHead(createdName, '', q));
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
  // Flat now, while its pieces are still young: a page of ropes would carry them through
  // every scavenge.
  return flat(out);
}

/** Reading one character is what makes V8 copy a string tree into one flat string. */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
