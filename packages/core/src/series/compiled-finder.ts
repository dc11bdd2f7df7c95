/**
 * The interned ids of a table's series, `width` per index, in the narrowest type that
 * holds every id plus the marker of a free index (the type's largest value, -1 in an
 * Int32Array): 1 or 2 bytes an id while no label has more than 254 or 65 534 values.
 */
export type IdColumn = Uint8Array | Uint16Array | Int32Array;

/** A label position's value → id lookup: a `Map`, or a `LargeDictionary` for many values. */
export interface ValueIds {
  get(value: string): number | undefined;
}

/** What a compiled finder reads of its table (the arrays are replaced as the table grows). */
export interface FinderState {
  readonly dictionaries: readonly ValueIds[];
  /**
   * Per label position, the same ids as `dictionaries` in a null-prototype object while
   * the position has few values (see `SMALL_DICTIONARY`), else undefined.
   */
  readonly small: ReadonlyArray<SmallDictionary | undefined>;
  readonly slots: Int32Array;
  readonly ids: IdColumn;
}

/** Label value → id as the properties of a null-prototype object. */
export type SmallDictionary = Record<string, number>;

/**
 * A position keeps a `SmallDictionary` next to its `Map` up to this many values. A keyed
 * load from a dictionary-mode object finds a string by its hash and compares pointers
 * (V8 internalizes the key; a caller's equal string becomes a reference to that copy on
 * its first lookup), where `Map.get` calls `StringEqual` on every same-bucket key: 6 %
 * fewer instructions for a 2-label `Gauge.set` (bench/README.md). Past this size the
 * object would cost ~55 B a value against the Map's ~28, so only the Map stays.
 */
export const SMALL_DICTIONARY = 256;

/** A compiled finder's answer when the general path must decide. */
export const GENERAL = -2;
/** A free slot of the open-addressing table; live slots hold index + 1. */
export const EMPTY = 0;
/** A slot whose series was removed; probing goes on past it. */
export const TOMBSTONE = -1;
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 16777619;
/**
 * Open-addressing tables (a table's series slots, a `LargeDictionary`) stay at most this
 * full, so a probe rarely looks past a few entries.
 */
export const MAX_LOAD = 0.75;

/**
 * Finds the series index of a label object holding exactly the declared names with
 * string values already interned, or -1 when that id tuple has no series. Anything else
 * answers `GENERAL`, and the general path handles or reports it.
 */
export type CompiledFinder = (labels: object, table: FinderState) => number;

/**
 * Compiles the finder for one list of declared names: each named property load and
 * `Map.get` keeps its own monomorphic site and the id tuple is compared unrolled, where
 * a loop over the names makes one megamorphic keyed load (measured for three labels:
 * 28 ns against 76 ns to read and intern). Where the runtime forbids compiling code (a
 * CSP without 'unsafe-eval', Cloudflare Workers) this returns undefined and the general
 * path does all the work.
 */
export function compileFinder(names: readonly string[]): CompiledFinder | undefined {
  const key = JSON.stringify(names);
  const shared = finders.get(key);
  if (shared !== undefined) return shared;
  const finder = compileNew(names);
  if (finder !== undefined) finders.set(key, finder);
  return finder;
}

/**
 * One finder per list of names, shared by every table declaring it: a call site that
 * calls the finder (e.g. `Gauge.set`'s) sees one function per label set, not one per
 * metric instance, so V8 can inline it there while few label sets go through it.
 */
const finders = new Map<string, CompiledFinder>();

function compileNew(names: readonly string[]): CompiledFinder | undefined {
  const width = names.length;
  const at = names.map((_, i) => i);
  const body = [
    'let given = 0;',
    'for (const _ in labels) given++;',
    `if (given !== ${width}) return ${GENERAL};`,
    ...at.map((i) => `const v${i} = labels[${JSON.stringify(names[i])}];`),
    `if (${at.map((i) => `typeof v${i} !== 'string'`).join(' || ')}) return ${GENERAL};`,
    'const small = table.small;',
    ...at.map((i) => `const s${i} = small[${i}];`),
    ...at.map(
      (i) =>
        `const id${i} = s${i} !== undefined ? s${i}[v${i}] : table.dictionaries[${i}].get(v${i});`,
    ),
    `if (${at.map((i) => `id${i} === undefined`).join(' || ')}) return ${GENERAL};`,
    // Read once: each `Math.imul(…)` spelled out costs ~30 bytes of bytecode, and past
    // 460 bytes V8 no longer inlines the finder into its caller (3 labels were 473).
    'const imul = Math.imul;',
    `let hash = ${FNV_OFFSET};`,
    ...at.map((i) => `hash = imul(hash ^ id${i}, ${FNV_PRIME});`),
    'const slots = table.slots;',
    'const ids = table.ids;',
    'const mask = slots.length - 1;',
    'for (let at = hash & mask; ; at = (at + 1) & mask) {',
    '  const entry = slots[at];',
    `  if (entry === ${EMPTY}) return -1;`,
    `  const base = (entry - 1) * ${width};`,
    `  if (entry !== ${TOMBSTONE} && ${at.map((i) => `ids[base + ${i}] === id${i}`).join(' && ')}) return entry - 1;`,
    '}',
  ].join('\n');
  try {
    return new Function(`return function findDeclaredSeries(labels, table) {\n${body}\n};`)();
  } catch {
    return undefined;
  }
}
