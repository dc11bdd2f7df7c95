import type { Labels } from '../model';
import type { IdColumn } from './compiled-finder';

/**
 * Builds what a scrape needs of one series from its interned ids: its label object and
 * its escaped label text. `escaped[p][id]` is a value's escaped text; `raw[p]` holds the
 * unescaped value only for the ids where escaping changed it.
 */
export interface LabelWriters {
  labels(
    escaped: readonly string[][],
    raw: ReadonlyArray<ReadonlyMap<number, string> | undefined>,
    ids: IdColumn,
    base: number,
  ): Labels;
  text(escaped: readonly string[][], ids: IdColumn, base: number): string;
}

/**
 * Compiles the writers for declared names and const labels: an object literal of a
 * fixed shape and one concatenation with the separators inlined, several times faster
 * than loops that grow an object and a string (which is what a scrape of 10k series
 * would otherwise spend most of its time on). Undefined where code cannot be compiled.
 */
export function compileLabelWriters(
  names: readonly string[],
  constLabels: Labels,
  constText: string,
): LabelWriters | undefined {
  const constNames = Object.keys(constLabels);
  const rawOf = (i: number) =>
    `(raw[${i}] === undefined ? escaped[${i}][ids[base + ${i}]] : (raw[${i}].get(ids[base + ${i}]) ?? escaped[${i}][ids[base + ${i}]]))`;
  const fields = [
    ...constNames.map((name, i) => `${JSON.stringify(name)}: constValues[${i}]`),
    ...names.map((name, i) => `${JSON.stringify(name)}: ${rawOf(i)}`),
  ];
  const pieces = names.map((name, i) => {
    const opener = `${i === 0 && constText === '' ? '' : ','}${name}="`;
    return `${JSON.stringify(i === 0 ? constText + opener : `"${opener}`)} + escaped[${i}][ids[base + ${i}]]`;
  });
  const text = names.length === 0 ? JSON.stringify(constText) : `${pieces.join(' + ')} + '"'`;
  const source = `return {
        labels(escaped, raw, ids, base) { return { ${fields.join(', ')} }; },
        text(escaped, ids, base) { return ${text}; },
      };`;
  try {
    let factory = factories.get(source);
    if (factory === undefined) {
      if (factories.size >= MAX_FACTORIES) factories.clear();
      factory = new Function('constValues', source) as WritersFactory;
      factories.set(source, factory);
    }
    return factory(constNames.map((name) => constLabels[name]));
  } catch {
    return undefined;
  }
}

type WritersFactory = (constValues: ReadonlyArray<string | undefined>) => LabelWriters;

/**
 * Compiled factories by their source: metrics with the same label names share one
 * `text`/`labels` code, so a scrape of 100 such metrics calls one function (which V8
 * inlines) rather than 100 each optimized on its own. Bounded, as names may be made.
 */
const factories = new Map<string, WritersFactory>();
const MAX_FACTORIES = 256;

/**
 * Writes the sample lines of series `indices[from..to)` (see `columnSamples`) from
 * interned label pieces, as one rope of flat pieces. Per position `p`: `before[p]` is
 * what precedes its value (for the first, the line's opening after the previous line's
 * '\n'; `opening` is that without the '\n', for the first line); `after[p]` what follows
 * it inside a memo piece (`"} ` for the last); `memos[p]`, when given, caches per id the
 * whole piece `before + value + after`, made by `join` (a sequential string, see
 * exposition/sequential.ts). The result lacks the last line's '\n'.
 */
export type TextLineWriter = (
  escaped: readonly (readonly string[])[],
  ids: ArrayLike<number>,
  indices: Int32Array,
  values: Float64Array,
  from: number,
  to: number,
  before: readonly string[],
  opening: string,
  after: readonly string[],
  memos: ReadonlyArray<Array<string | undefined> | undefined>,
  format: (value: number) => string,
) => string;

/**
 * Compiles the line writer for `width` label positions: the positions unrolled, so a
 * line is a straight run of appends (a loop over positions cost a fifth of a 10k-series
 * scrape). Undefined where code cannot be compiled.
 */
export function compileTextLineWriter(width: number): TextLineWriter | undefined {
  let writer = lineWriters.get(width);
  if (writer !== undefined || lineWriters.has(width)) return writer;
  const positions = Array.from({ length: width }, (_, p) => p);
  const last = width - 1;
  const locals = positions
    .map(
      (p) =>
        `const e${p} = escaped[${p}], b${p} = before[${p}], a${p} = after[${p}], m${p} = memos[${p}];`,
    )
    .join('\n');
  const first = positions
    .map((p) => `out += ${p === 0 ? 'opening' : `b${p}`}; out += e${p}[ids[base + ${p}]];`)
    .join(' ');
  const piece = (p: number) => `
      if (m${p} === undefined) {
        out += b${p}; out += e${p}[ids[base + ${p}]];${p === last ? ` out += '"} ';` : ''}
      } else {
        const id = ids[base + ${p}];
        let piece = m${p}[id];
        if (piece === undefined) {
          piece = [b${p}, e${p}[id], a${p}].join('');
          m${p}[id] = piece;
        }
        out += piece;
      }`;
  const source = `return function textLines(escaped, ids, indices, values, from, to, before, opening, after, memos, format) {
    ${locals}
    let out = '';
    if (from >= to) return out;
    let index = indices[from];
    let base = index * ${width};
    ${first} out += '"} '; out += format(values[index]);
    for (let i = from + 1; i < to; i++) {
      index = indices[i];
      base = index * ${width};${positions.map(piece).join('')}
      out += format(values[index]);
    }
    return out;
  };`;
  try {
    writer = new Function(source)() as TextLineWriter;
  } catch {
    writer = undefined;
  }
  if (lineWriters.size >= MAX_FACTORIES) lineWriters.clear();
  lineWriters.set(width, writer);
  return writer;
}

const lineWriters = new Map<number, TextLineWriter | undefined>();
