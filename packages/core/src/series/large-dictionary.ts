import { FNV_PRIME, MAX_LOAD } from './compiled-finder';

const EMPTY = -1;

/**
 * A label position that holds this many values moves from its `Map` to a `LargeDictionary`
 * when it gains one more (so only metrics whose `maxSeries` is raised past it). Hashing a
 * value in JavaScript (~3 ns a character here) is slower than a `Map` reusing the hash V8
 * keeps in the string while the Map fits in the caches: a labelled call took 1.5× as long
 * at 5 000 values and 1.1–1.2× at 20 000 and 32 768, about the same at 50 000, 0.9× at
 * 65 536 and 0.8× at 100 000 (bench/README.md, 2026-12-04).
 */
export const LARGE_DICTIONARY = 65_536;

/**
 * Label value → id for a label position with many distinct values. A `Map` costs 28–56 B
 * an entry (V8's OrderedHashMap, grown by doubling); this is one `Int32Array` of ids,
 * open-addressed by FNV-1a over the value's UTF-16 code units: 5–11 B a value. A hit
 * compares the value with the id's own value in the table's id → text list, so nothing
 * but the slots is stored twice.
 *
 * The table only appends ids (its reclaim starts a new dictionary), so there is no delete.
 */
export class LargeDictionary {
  /** Where each value's hash starts: random per dictionary unless given (tests). */
  readonly seed: number;
  private slots: Int32Array;
  private count = 0;
  /** The ids whose value differs from their text (the text is escaped), with the value. */
  private readonly differing = new Map<number, string>();

  /**
   * Takes over every id in `texts`, the table's id → text list for this position (appended
   * to before each `set`); `raw` holds the value of the ids whose text differs from it.
   */
  constructor(
    private readonly texts: readonly string[],
    raw: ReadonlyMap<number, string> | undefined,
    seed: number = randomSeed(),
  ) {
    this.seed = seed;
    const count = texts.length;
    let capacity = 16;
    while (count + 1 > capacity * MAX_LOAD) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    if (raw !== undefined) for (const [id, value] of raw) this.differing.set(id, value);
    this.count = count;
    this.placeAll();
  }

  get size(): number {
    return this.count;
  }

  get(value: string): number | undefined {
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let at = valueHash(value, this.seed) & mask; ; at = (at + 1) & mask) {
      const id = slots[at]!;
      if (id === EMPTY) return undefined;
      if (this.valueOf(id) === value) return id;
    }
  }

  /** Adds `value` as `id`; the caller has checked that `get(value)` is undefined. */
  set(value: string, id: number): void {
    if (this.count + 1 > this.slots.length * MAX_LOAD) this.grow();
    if (this.texts[id] !== value) this.differing.set(id, value);
    this.place(valueHash(value, this.seed), id);
    this.count++;
  }

  private valueOf(id: number): string {
    // Most positions never escape a value; then no Map is read on a hit.
    return this.differing.size === 0
      ? this.texts[id]!
      : (this.differing.get(id) ?? this.texts[id]!);
  }

  private place(hash: number, id: number): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let at = hash & mask;
    while (slots[at] !== EMPTY) at = (at + 1) & mask;
    slots[at] = id;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    this.placeAll();
  }

  /** Places every id (they are dense: 0 … count − 1) into empty slots. */
  private placeAll(): void {
    for (let id = 0; id < this.count; id++) this.place(valueHash(this.valueOf(id), this.seed), id);
  }
}

/** FNV-1a over UTF-16 code units, started from `seed` instead of the fixed offset basis. */
export function valueHash(value: string, seed: number): number {
  let hash = seed;
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value.charCodeAt(i), FNV_PRIME);
  return hash;
}

/**
 * A random start for a dictionary's hashes. Label values can come from outside (ids, paths),
 * and FNV-1a from its fixed basis is easy to collide on purpose (a colliding pair still
 * collides with any suffix added, so pairs multiply into thousands of values with one
 * hash), which would make every lookup scan them all; V8 seeds its own string hashes for
 * the same reason. Made when a dictionary is, inside a labelled call, not at module load.
 */
function randomSeed(): number {
  return (Math.random() * 0x100000000) | 0;
}
