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
