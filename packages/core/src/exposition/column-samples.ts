import type { InternedLabels } from '../series/table';
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
  const { indices, values, series } = columns;
  const created = createdName === undefined ? undefined : columns.created;
  const interned = series.interned;
  if (created === undefined && interned !== undefined && interned.names.length > 0) {
    return from < to ? pieceSamples(open, interned, columns, from, to) : '';
  }
  const bare = flat(sampleHead(name, '', q));
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

/**
 * A value repeated on at least this many of a slice's lines (on average) has its text,
 * with what precedes and follows it, made once per slice.
 */
const REUSE = 4;

/**
 * `columnSamples` (`from < to`, no `_created` lines) from interned label pieces: each line
 * a rope of flat pieces, fewer of them than with a label text made per series (a rope
 * costs per piece when it is built and again when it is copied flat; on a 10k-series page
 * that, not the bytes, is most of the work). A label position with few distinct values (a
 * status code, a method) gets one piece per value for the slice, `",code="200"} `, not
 * three per line; values unique to a series stay pieces of their own.
 */
function pieceSamples(
  open: string,
  pieces: InternedLabels,
  columns: ValueColumns,
  from: number,
  to: number,
): string {
  const { openers, escaped, ids } = pieces;
  const width = pieces.names.length;
  const { indices, values } = columns;
  const last = width - 1;
  // Per position what precedes its value and what follows it (the closing brace for the
  // last), and the memo of the values it repeats. A line's '\n' rides at the front of
  // the next line's first piece: one piece less per line.
  const before: string[] = [];
  const after: string[] = [];
  const memos: Array<Array<string | undefined> | undefined> = [];
  const reused = Math.floor((to - from) / REUSE);
  for (let p = 0; p < width; p++) {
    before.push(flat(p === 0 ? `\n${open}${pieces.constText}${openers[0]}` : `"${openers[p]}`));
    after.push(p === last ? '"} ' : '');
    memos.push(escaped[p]!.length <= reused ? [] : undefined);
  }
  const opening = before[0]!.slice(1);
  const write = pieces.lineWriter;
  if (write !== undefined) {
    return flat(
      `${write(escaped, ids, indices, values, from, to, before, opening, after, memos, formatValue)}\n`,
    );
  }
  let out = '';
  for (let i = from; i < to; i++) {
    const index = indices[i]!;
    const base = index * width;
    for (let p = 0; p < width; p++) {
      const id = ids[base + p]!;
      const memo = i === from ? undefined : memos[p];
      if (memo === undefined) {
        out += p === 0 && i === from ? opening : before[p]!;
        out += escaped[p]![id]!;
        if (p === last) out += '"} ';
      } else {
        let piece = memo[id];
        if (piece === undefined) {
          piece = flat(before[p]! + escaped[p]![id]! + after[p]!);
          memo[id] = piece;
        }
        out += piece;
      }
    }
    out += formatValue(values[index]!);
  }
  out += '\n';
  return flat(out);
}

/** Reading one character is what makes V8 copy a string tree into one flat string. */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}
