import { escapeLabelValue, labelText } from '../exposition/escape';
import { grownLength } from '../growth';
import type { Labels } from '../model';
import { ownedString, wellFormed } from '../well-formed';
import {
  type CompiledFinder,
  compileFinder,
  EMPTY,
  FNV_OFFSET,
  FNV_PRIME,
  GENERAL,
  type IdColumn,
  MAX_LOAD,
  SMALL_DICTIONARY,
  type SmallDictionary,
  TOMBSTONE,
} from './compiled-finder';
import {
  compileLabelWriters,
  compileTextLineWriter,
  type LabelWriters,
  type TextLineWriter,
} from './compiled-writers';
import type { LabelSchema } from './label-schema';
import { LARGE_DICTIONARY, LargeDictionary } from './large-dictionary';
import {
  IndexAllocator,
  type InternedLabels,
  identityIndices,
  pairsOf,
  type RawLabels,
  type SeriesTable,
  type SeriesView,
} from './table';

/**
 * Series of a metric with declared label names. Each label value is interned to a
 * small integer per label position (one Map lookup on a string whose hash V8 already
 * caches); the id tuple is hashed with FNV-1a over integers and looked up in an
 * open-addressing table of typed arrays, comparing the ids exactly. No key string is
 * built per call, and nothing but the ids is stored per series: label objects and
 * their text are made when a scrape asks for them.
 */
export class DeclaredSeriesTable implements SeriesTable {
  // Read by the compiled finder, hence not private.
  dictionaries: Array<Map<string, number> | LargeDictionary> = [];
  small: Array<SmallDictionary | undefined> = [];
  /** Open addressing: index + 1, EMPTY or TOMBSTONE. */
  slots = new Int32Array(16);
  /** `width` ids per index; the first is `freeId` when the index is not in use. */
  ids: IdColumn = new Uint8Array(0);
  /** The id marking a free index: the largest value `ids` holds (-1 once it is an Int32Array). */
  private freeId = 0xff;

  private readonly width: number;
  private readonly names: readonly string[];
  /** Per label position, the escaped text of each id (the dictionaries read backwards). */
  private escaped: string[][] = [];
  /** Per label position, the raw value of the ids whose escaped text differs (rare). */
  private raw: Array<Map<number, string> | undefined> = [];
  private readonly writers: LabelWriters | undefined;
  private readonly lineWriter: TextLineWriter | undefined;
  private readonly scratch: Int32Array;
  /** A position holding this many values moves from its `Map` to a `LargeDictionary` on the next. */
  private readonly largeAt: number;
  /** Also called directly by metric types on their hot path (see `compiledLookup`). */
  readonly compiled: CompiledFinder | undefined;
  private readonly indices = new IndexAllocator();
  /** Per position, what precedes its value in the label text: `name="`, after a comma unless first. */
  private readonly openers: readonly string[];
  private readonly constText: string;
  private live = 0;
  /** Slots not EMPTY (live and tombstones). */
  private occupied = 0;
  /** Removals since interned values were last reclaimed. */
  private removed = 0;

  /**
   * `compiled: false` keeps to the general path (what runs where code cannot be compiled);
   * `largeDictionaryAt` moves the switch to a `LargeDictionary` (tests).
   */
  constructor(
    private readonly schema: LabelSchema,
    options: { readonly compiled?: boolean; readonly largeDictionaryAt?: number } = {},
  ) {
    this.names = schema.names!;
    this.largeAt = options.largeDictionaryAt ?? LARGE_DICTIONARY;
    this.width = this.names.length;
    this.scratch = new Int32Array(this.width);
    this.compiled =
      this.width === 0 || options.compiled === false ? undefined : compileFinder(this.names);
    const constText = labelText(schema.constLabels);
    this.constText = constText;
    this.writers =
      options.compiled === false
        ? undefined
        : compileLabelWriters(this.names, schema.constLabels, constText);
    this.lineWriter =
      this.width === 0 || options.compiled === false
        ? undefined
        : compileTextLineWriter(this.width);
    this.openers = this.names.map(
      (name, i) => `${i === 0 && constText === '' ? '' : ','}${name}="`,
    );
    this.reset();
  }

  get size(): number {
    return this.live;
  }

  find(labels: RawLabels | undefined): number {
    if (this.compiled !== undefined && typeof labels === 'object' && labels !== null) {
      const found = this.compiled(labels, this);
      if (found !== GENERAL) return found;
    }
    return this.findGeneral(labels);
  }

  /**
   * The general path: any key order, number values, ill-formed strings, values not
   * interned yet, and every malformed set (which it reports). Leaves the id tuple in
   * `scratch` when every value is interned. Also called by a metric whose own call of the
   * compiled finder answered `GENERAL`, so its miss path holds no second copy of the finder.
   */
  findGeneral(labels: RawLabels | undefined): number {
    const width = this.width;
    if (width === 0) {
      if (labels !== undefined && labels !== null) {
        this.schema.checkObject(labels);
        for (const _ in labels) throw this.schema.mismatch(labels);
      }
      return this.live === 1 ? 0 : -1;
    }
    if (typeof labels !== 'object' || labels === null) {
      this.schema.checkObject(labels);
      throw this.schema.mismatch(labels);
    }
    // One for-in pass reads every value and finds each key's declared position,
    // usually on the first comparison.
    const names = this.names;
    const scratch = this.scratch;
    const dictionaries = this.dictionaries;
    let given = 0;
    let absent = false;
    for (const key in labels) {
      const position = given < width && names[given] === key ? given : names.indexOf(key);
      if (position === -1 || given >= width) throw this.schema.mismatch(labels);
      const v = labels[key];
      const value = typeof v === 'string' ? v : this.coerce(key, v, labels);
      const dictionary = dictionaries[position]!;
      // Values are interned well-formed; only a miss pays for checking this one.
      const id = dictionary.get(value) ?? dictionary.get(wellFormed(value));
      if (id === undefined) absent = true;
      else scratch[position] = id;
      given++;
    }
    if (given !== width) throw this.schema.mismatch(labels);
    if (absent) return -1;
    const at = this.probe(this.scratchHash());
    return at === -1 ? -1 : this.slots[at]! - 1;
  }

  private coerce(name: string, v: unknown, labels: RawLabels): string {
    if (typeof v === 'number') return `${v}`;
    if (v === undefined) throw this.schema.mismatch(labels);
    return this.schema.stringValue(name, v);
  }

  /** FNV-1a over the id tuple in `scratch`. */
  private scratchHash(): number {
    const scratch = this.scratch;
    let hash = FNV_OFFSET;
    for (let i = 0; i < this.width; i++) hash = Math.imul(hash ^ scratch[i]!, FNV_PRIME);
    return hash;
  }

  /** The slot holding the id tuple in `scratch`, or -1. */
  private probe(hash: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const width = this.width;
    const ids = this.ids;
    const scratch = this.scratch;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = slots[at]!;
      if (entry === EMPTY) return -1;
      if (entry === TOMBSTONE) continue;
      const base = (entry - 1) * width;
      let i = 0;
      while (i < width && ids[base + i] === scratch[i]) i++;
      if (i === width) return at;
    }
  }

  insert(labels: RawLabels | undefined): number {
    if (this.width === 0) {
      this.live = 1;
      return 0;
    }
    const hash = this.intern(labels!);
    const index = this.indices.take();
    const width = this.width;
    if (this.ids.length < (index + 1) * width) {
      const grown = idColumn(this.freeId, grownLength(this.ids.length / width, index + 1) * width);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids.set(this.scratch, index * width);
    this.place(hash, index + 1);
    this.live++;
    return index;
  }

  /** Fills `scratch` with the ids of `labels`, creating ids for new values; returns the hash. */
  private intern(labels: RawLabels): number {
    let hash = FNV_OFFSET;
    for (let i = 0; i < this.width; i++) {
      const name = this.names[i]!;
      const value = this.schema.stringValue(name, labels[name]);
      const dictionary = this.dictionaries[i]!;
      const id = dictionary.get(value) ?? this.addValue(i, ownedString(value));
      this.scratch[i] = id;
      hash = Math.imul(hash ^ id, FNV_PRIME);
    }
    return hash;
  }

  /** Interns a new value at `position`, keeping its escaped text; returns its id. */
  private addValue(position: number, value: string): number {
    const escaped = this.escaped[position]!;
    const id = escaped.length;
    if (id === this.freeId) this.widen();
    const text = escapeLabelValue(value);
    escaped.push(text);
    if (text !== value) {
      let raw = this.raw[position];
      if (raw === undefined) {
        raw = new Map();
        this.raw[position] = raw;
      }
      raw.set(id, value);
    }
    const dictionary = this.dictionaries[position]!;
    if (id === this.largeAt && dictionary instanceof Map) {
      // From here a Map is no faster to look up and costs 28–56 B a value (LARGE_DICTIONARY).
      this.dictionaries[position] = new LargeDictionary(escaped, this.raw[position]);
      this.small[position] = undefined;
      return id;
    }
    dictionary.set(value, id);
    const small = this.small[position];
    if (small !== undefined) {
      if (id < SMALL_DICTIONARY) small[value] = id;
      else this.small[position] = undefined;
    }
    return id;
  }

  /** Moves `ids` to the next wider type, whose free marker no id can reach yet. */
  private widen(): void {
    const free = this.freeId === 0xff ? 0xffff : -1;
    const ids = idColumn(free, this.ids.length);
    ids.set(this.ids);
    const width = this.width;
    for (let index = 0; index < this.indices.end; index++) {
      if (this.ids[index * width] === this.freeId) ids[index * width] = free;
    }
    this.ids = ids;
    this.freeId = free;
  }

  /** The unescaped value of `id` at `position`. */
  private rawValue(position: number, id: number): string {
    return this.raw[position]?.get(id) ?? this.escaped[position]![id]!;
  }

  private place(hash: number, entry: number): void {
    if (this.occupied + 1 > this.slots.length * MAX_LOAD) this.rehash(this.slots.length * 2);
    const mask = this.slots.length - 1;
    let at = hash & mask;
    while (this.slots[at] !== EMPTY) at = (at + 1) & mask;
    this.slots[at] = entry;
    this.occupied++;
  }

  private hashOf(index: number): number {
    const width = this.width;
    let hash = FNV_OFFSET;
    for (let i = 0; i < width; i++)
      hash = Math.imul(hash ^ this.ids[index * width + i]!, FNV_PRIME);
    return hash;
  }

  /** Rebuilds the slots from the live indices (dropping tombstones). */
  private rehash(capacity: number): void {
    this.slots = new Int32Array(capacity);
    this.occupied = 0;
    const mask = capacity - 1;
    this.forEach((index) => {
      let at = this.hashOf(index) & mask;
      while (this.slots[at] !== EMPTY) at = (at + 1) & mask;
      this.slots[at] = index + 1;
      this.occupied++;
    });
  }

  remove(labels: RawLabels | undefined): number {
    // The general path leaves the id tuple in `scratch` for the probe below.
    if (this.findGeneral(labels) === -1) return -1;
    if (this.width === 0) {
      this.live = 0;
      return 0;
    }
    const at = this.probe(this.scratchHash());
    const index = this.slots[at]! - 1;
    this.free(at, index);
    return index;
  }

  removeAt(index: number): void {
    if (this.width === 0) {
      this.live = 0;
      return;
    }
    const width = this.width;
    if (this.ids[index * width] === this.freeId) return;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let at = this.hashOf(index) & mask; ; at = (at + 1) & mask) {
      const entry = slots[at]!;
      if (entry === EMPTY) return;
      if (entry === index + 1) {
        this.free(at, index);
        return;
      }
    }
  }

  private free(at: number, index: number): void {
    this.slots[at] = TOMBSTONE;
    this.ids[index * this.width] = this.freeId;
    this.indices.release(index);
    this.live--;
    this.removed++;
    // Reclaims interned values no live series uses once removals outnumber the live
    // series, so churn never grows memory; amortised O(1) per removal.
    if (this.removed > this.live) this.reclaim();
  }

  /** Drops interned values of removed series: renumbers the ids of the live ones. */
  private reclaim(): void {
    if (this.live === 0) {
      this.reset();
      return;
    }
    const width = this.width;
    const values = this.names.map((_, i) => this.escaped[i]!.map((_, id) => this.rawValue(i, id)));
    this.emptyDictionaries();
    this.forEach((index) => {
      for (let i = 0; i < width; i++) {
        const value = values[i]![this.ids[index * width + i]!]!;
        const id = this.dictionaries[i]!.get(value) ?? this.addValue(i, value);
        this.ids[index * width + i] = id;
      }
    });
    this.rehash(this.slots.length);
    this.removed = 0;
  }

  clear(): void {
    this.reset();
  }

  private emptyDictionaries(): void {
    this.dictionaries = this.names.map(() => new Map<string, number>());
    // Only the compiled finder reads these (a null prototype: no inherited names).
    this.small = this.names.map(() =>
      this.compiled === undefined ? undefined : (Object.create(null) as SmallDictionary),
    );
    this.escaped = this.names.map(() => []);
    this.raw = this.names.map(() => undefined);
  }

  private reset(): void {
    this.emptyDictionaries();
    this.slots = new Int32Array(16);
    this.ids = new Uint8Array(0);
    this.freeId = 0xff;
    this.indices.reset();
    this.live = 0;
    this.occupied = 0;
    this.removed = 0;
  }

  /**
   * The live indices, ascending: one plain loop, not `forEach`'s callback per series
   * (a scrape's snapshot runs it in one synchronous stretch: ~10× faster at 100k series).
   */
  private liveIndices(): Int32Array {
    if (this.width === 0) return new Int32Array(this.live);
    if (this.live === this.indices.end) return identityIndices(this.live);
    const out = new Int32Array(this.live);
    const ids = this.ids;
    const width = this.width;
    const end = this.indices.end;
    const freeId = this.freeId;
    let n = 0;
    for (let index = 0; index < end; index++) {
      if (ids[index * width] !== freeId) out[n++] = index;
    }
    return n === out.length ? out : out.subarray(0, n);
  }

  forEach(fn: (index: number) => void): void {
    if (this.width === 0) {
      if (this.live === 1) fn(0);
      return;
    }
    const ids = this.ids;
    const width = this.width;
    const freeId = this.freeId;
    for (let index = 0; index < this.indices.end; index++) {
      if (ids[index * width] !== freeId) fn(index);
    }
  }

  view(): SeriesView {
    const indices = this.liveIndices();
    if (this.width === 0) {
      const constLabels = this.schema.constLabels;
      return {
        indices,
        labelsOf: (i) => this.labelsOf(i),
        labelTextOf: () => this.constText,
        labelPairs: (_, out) => pairsOf(constLabels, out),
        interned: this.internedWith(this.ids),
      };
    }
    // Interned texts and raw values are only ever appended to (a reclaim makes new
    // arrays), so the current arrays, read live, plus a copy of the ids describe these
    // series for good.
    const ids = this.ids.slice(0, this.indices.end * this.width);
    const escaped = this.escaped;
    const raw = this.raw;
    return {
      indices,
      labelsOf: (index) => this.labelsFrom(escaped, raw, ids, index * this.width),
      labelTextOf: (index) => this.textFrom(escaped, ids, index * this.width),
      labelPairs: (index, out) => this.pairsFrom(escaped, raw, ids, index * this.width, out),
      interned: this.internedWith(ids),
    };
  }

  /** The interned form of the series, with `ids`. */
  private internedWith(ids: IdColumn): InternedLabels {
    return {
      names: this.names,
      constLabels: this.schema.constLabels,
      ids,
      escaped: this.escaped,
      raw: this.raw,
      constText: this.constText,
      openers: this.openers,
      lineWriter: this.lineWriter,
    };
  }

  private pairsFrom(
    escaped: readonly string[][],
    rawValues: ReadonlyArray<ReadonlyMap<number, string> | undefined>,
    ids: IdColumn,
    base: number,
    out: string[],
  ): number {
    let n = pairsOf(this.schema.constLabels, out);
    for (let i = 0; i < this.width; i++) {
      const id = ids[base + i]!;
      const raw = rawValues[i];
      out[2 * n] = this.names[i]!;
      out[2 * n + 1] = (raw === undefined ? undefined : raw.get(id)) ?? escaped[i]![id]!;
      n++;
    }
    return n;
  }

  labelsOf(index: number): Labels {
    return this.labelsFrom(this.escaped, this.raw, this.ids, index * this.width);
  }

  labelTextOf(index: number): string {
    return this.textFrom(this.escaped, this.ids, index * this.width);
  }

  private labelsFrom(
    escaped: readonly string[][],
    rawValues: ReadonlyArray<ReadonlyMap<number, string> | undefined>,
    ids: IdColumn,
    base: number,
  ): Labels {
    if (this.writers !== undefined) return this.writers.labels(escaped, rawValues, ids, base);
    const labels: Record<string, string> = { ...this.schema.constLabels };
    for (let i = 0; i < this.width; i++) {
      const id = ids[base + i]!;
      labels[this.names[i]!] = rawValues[i]?.get(id) ?? escaped[i]![id]!;
    }
    return labels;
  }

  private textFrom(escaped: readonly string[][], ids: IdColumn, base: number): string {
    if (this.writers !== undefined) return this.writers.text(escaped, ids, base);
    let text = this.constText;
    for (let i = 0; i < this.width; i++) {
      text += `${this.openers[i]}${escaped[i]![ids[base + i]!]!}"`;
    }
    return text;
  }
}

/** An id column of `length` whose free marker is `free`. */
function idColumn(free: number, length: number): IdColumn {
  return free === 0xff
    ? new Uint8Array(length)
    : free === 0xffff
      ? new Uint16Array(length)
      : new Int32Array(length);
}
