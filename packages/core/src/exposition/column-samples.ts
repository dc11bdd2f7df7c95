import type { InternedLabels } from '../series/table';
import type { ValueColumns } from '../snapshot';
import { formatValue } from './escape';
import { sampleHead, sampleOpen } from './name-escaping';
import { flat, sequentialCopy, sequentialJoin } from './sequential';

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
  const { indices, values, series } = columns;
  const created = createdName === undefined ? undefined : columns.created;
  const interned = series.interned;
  if (created === undefined && interned !== undefined && interned.names.length > 0) {
    return from < to ? pieceSamples(name, q, interned, columns, from, to) : '';
  }
  // Every line starts with one of these: sequential, or each line would walk its tree.
  const open = sequentialCopy(sampleOpen(name, q));
  const bare = sequentialCopy(sampleHead(name, '', q));
  const createdOpen = createdName === undefined ? '' : sequentialCopy(sampleOpen(createdName, q));
  const createdBare =
    createdName === undefined ? '' : sequentialCopy(sampleHead(createdName, '', q));
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
 * status code, a method) gets one piece per value, `",code="200"} `, not three per line;
 * values unique to a series stay pieces of their own.
 */
function pieceSamples(
  name: string,
  q: boolean,
  pieces: InternedLabels,
  columns: ValueColumns,
  from: number,
  to: number,
): string {
  const { escaped, ids } = pieces;
  const width = pieces.names.length;
  const { indices, values } = columns;
  const last = width - 1;
  const { before, after, opening, memoOf } = slicePieces(name, q, pieces, columns);
  // A position's memo serves a slice that repeats each of its values `REUSE` times on average.
  const reused = Math.floor((to - from) / REUSE);
  const memos: Array<Array<string | undefined> | undefined> = [];
  for (let p = 0; p < width; p++) memos.push(escaped[p]!.length <= reused ? memoOf[p] : undefined);
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
          piece = sequentialJoin([before[p]!, escaped[p]![id]!, after[p]!]);
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

/** What the slices of one family's page share: made with its first slice, once a scrape. */
interface SlicePieces {
  readonly name: string;
  readonly q: boolean;
  /** Per position what precedes its value (the first: the line's opening after its '\n'). */
  readonly before: readonly string[];
  /** Per position what follows its value inside a memo piece (the closing brace for the last). */
  readonly after: readonly string[];
  /** `before[0]` without the '\n': the first line's opening. */
  readonly opening: string;
  /** Per position, its whole piece per id, for the slices that repeat its values. */
  readonly memoOf: ReadonlyArray<Array<string | undefined>>;
}

// On the scrape's columns of the family, so it lives as long as that scrape's snapshot.
const SLICE_PIECES: unique symbol = Symbol('promkit.slice-pieces');

interface WithSlicePieces extends ValueColumns {
  [SLICE_PIECES]?: SlicePieces;
}

/**
 * The family's shared pieces, made at its first slice. A line's '\n' rides at the front of
 * the next line's first piece: one piece less per line. A memo piece made for one slice
 * serves the later ones (an id's text never changes within one snapshot's arrays).
 */
function slicePieces(
  name: string,
  q: boolean,
  interned: InternedLabels,
  columns: WithSlicePieces,
): SlicePieces {
  const made = columns[SLICE_PIECES];
  // A render of the same snapshot that opens lines otherwise (OpenMetrics' escaped names,
  // concurrent scrapes share one snapshot) makes its own.
  if (made !== undefined && made.name === name && made.q === q) return made;
  const open = sampleOpen(name, q);
  const { openers, constText } = interned;
  const width = interned.names.length;
  const before: string[] = [];
  const after: string[] = [];
  const memoOf: Array<Array<string | undefined>> = [];
  for (let p = 0; p < width; p++) {
    before.push(
      sequentialJoin(p === 0 ? ['\n', open, constText, openers[0]!] : ['"', openers[p]!]),
    );
    after.push(p === width - 1 ? '"} ' : '');
    memoOf.push([]);
  }
  const opening = sequentialJoin([open, constText, openers[0]!]);
  const pieces = { name, q, before, after, opening, memoOf };
  columns[SLICE_PIECES] = pieces;
  return pieces;
}
