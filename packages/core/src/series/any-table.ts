import { labelText, scrapeLabelText } from '../exposition/escape';
import type { Labels } from '../model';
import type { LabelSchema } from './label-schema';
import {
  IndexAllocator,
  liveIndices,
  pairsOf,
  type RawLabels,
  type SeriesTable,
  type SeriesView,
} from './table';

/**
 * Under a prefix of values (all but the last label's): the index of its one series, or a
 * `Map` by the last value once it has more. Most prefixes hold one series, and a `Map` of
 * one entry costs ~250 B where the index costs nothing.
 */
type Tail = number | Map<string, number>;
type Level = Map<string, Level | Tail>;

/**
 * The series whose label set has one list of names: one `Map` level per name (sorted),
 * keyed by the value's string, the last level a `Tail`. No key string is built per call.
 */
class NameSet {
  readonly root: Level = new Map();

  constructor(
    /** Sorted. */
    readonly names: readonly string[],
  ) {}
}

/** Separates the names of a `NameSet`'s signature; a name that holds it is invalid anyway. */
const SEP = '\u0001';

/** `read`'s answer for names no series has. */
const NO_SET = new NameSet([]);

/**
 * Series of a metric without declared label names (any label set, aioprometheus
 * style). A label set is found through the `NameSet` of its names, then one `Map` lookup
 * per value, so `{a,b}` and `{b,a}` are one series. The name list and its order are
 * remembered from the previous call, so a caller using one shape of label object sorts
 * nothing. Each series keeps its owned, frozen label set (names differ from series to
 * series); it also tells a prefix's one series apart by its last value.
 */
export class AnySeriesTable implements SeriesTable {
  private readonly nameSets = new Map<string, NameSet>();
  private owned: Array<Labels | undefined> = [];
  private readonly indices = new IndexAllocator();
  private live = 0;
  /** The series of the empty label set, or -1. */
  private bare = -1;
  /** The names of the previous call, as given, and what they led to. */
  private givenNames: readonly string[] = [];
  private givenSet: NameSet | undefined;
  /** Position in the given names of each sorted name. */
  private givenOrder: readonly number[] = [];
  /** The values of the current call, in sorted-name order. */
  private readonly values: string[] = [];

  constructor(private readonly schema: LabelSchema) {}

  get size(): number {
    return this.live;
  }

  find(labels: RawLabels | undefined): number {
    const set = this.read(labels, false);
    if (set === undefined) return this.bare;
    if (set === NO_SET) return -1;
    const parent = this.parentOfTail(set, false);
    return parent === undefined ? -1 : this.inTail(set, parent);
  }

  insert(labels: RawLabels | undefined): number {
    // The owned copy first: it checks the names, so a bad label set changes nothing.
    const owned = this.schema.owned(labels);
    const set = this.read(labels, true) as NameSet | undefined;
    const index = this.indices.take();
    this.owned[index] = owned;
    this.live++;
    if (set === undefined) {
      this.bare = index;
      return index;
    }
    // The store keeps the owned copies of the values, not the caller's strings.
    const values = this.values;
    const names = set.names;
    for (let i = 0; i < names.length; i++) values[i] = owned[names[i]!]!;
    const parent = this.parentOfTail(set, true)!;
    const last = names.length - 1;
    const key = values[last]!;
    if (last === 0) {
      parent.set(key, index);
      return index;
    }
    const prefix = values[last - 1]!;
    const tail = parent.get(prefix) as Tail | undefined;
    if (tail === undefined) parent.set(prefix, index);
    else if (typeof tail === 'number') {
      const other = this.owned[tail]![names[last]!]!;
      parent.set(
        prefix,
        new Map([
          [other, tail],
          [key, index],
        ]),
      );
    } else tail.set(key, index);
    return index;
  }

  remove(labels: RawLabels | undefined): number {
    const index = this.find(labels);
    if (index !== -1) this.removeAt(index);
    return index;
  }

  removeAt(index: number): void {
    const owned = this.owned[index];
    if (owned === undefined) return;
    const set = this.nameSetOf(owned);
    if (set === undefined) this.bare = -1;
    else {
      const values = this.values;
      const names = set.names;
      for (let i = 0; i < names.length; i++) values[i] = owned[names[i]!]!;
      this.unlink(set);
    }
    this.owned[index] = undefined;
    this.live--;
    this.indices.release(index);
  }

  view(): SeriesView {
    // Label sets are frozen and never change: copying the references is the snapshot.
    const owned = this.owned.slice(0, this.indices.end);
    return {
      indices: liveIndices(this, this.indices.end),
      labelsOf: (index) => owned[index]!,
      labelTextOf: (index) => scrapeLabelText(owned[index]!),
      labelPairs: (index, out) => pairsOf(owned[index]!, out),
    };
  }

  clear(): void {
    this.nameSets.clear();
    this.owned = [];
    this.indices.reset();
    this.live = 0;
    this.bare = -1;
    this.givenNames = [];
    this.givenSet = undefined;
  }

  forEach(fn: (index: number) => void): void {
    const owned = this.owned;
    for (let index = 0; index < this.indices.end; index++) {
      if (owned[index] !== undefined) fn(index);
    }
  }

  labelsOf(index: number): Labels {
    return this.owned[index]!;
  }

  labelTextOf(index: number): string {
    return labelText(this.owned[index]!);
  }

  /**
   * The `NameSet` of `labels`' names, with their values as strings in its order in
   * `values`; undefined for an empty label set, `NO_SET` when no series has these names
   * (unless `make`: then it is made). Checks the values as the general path does (type,
   * well-formed UTF-16); names are checked when a series is made.
   */
  private read(labels: RawLabels | undefined, make: boolean): NameSet | undefined {
    this.schema.checkObject(labels);
    if (labels === undefined || labels === null) return undefined;
    const given = Object.keys(labels);
    if (given.length === 0) return undefined;
    let set = this.givenSet;
    if (set === undefined || !sameNames(given, this.givenNames)) {
      set = this.nameSetFor(given, make);
      if (set === NO_SET) {
        // No series has these names, but a bad value is still refused as on any call.
        for (const name of given) this.schema.stringValue(name, labels[name]);
        return set;
      }
      this.givenNames = given;
      this.givenSet = set;
      this.givenOrder = set.names.map((name) => given.indexOf(name));
    }
    const order = this.givenOrder;
    const values = this.values;
    for (let i = 0; i < order.length; i++) {
      const name = given[order[i]!]!;
      values[i] = this.schema.stringValue(name, labels[name]);
    }
    return set;
  }

  /** The `NameSet` of these names (in any order), made when `make`; else `NO_SET` if none. */
  private nameSetFor(given: readonly string[], make: boolean): NameSet {
    const names = [...given].sort();
    const signature = names.join(SEP);
    const set = this.nameSets.get(signature);
    // Names are valid (no SEP) once a series has them: a lookup with SEP in a name can
    // share a signature with a real list, so the lists are compared too.
    if (set !== undefined && sameNames(set.names, names)) return set;
    if (!make) return NO_SET;
    const made = new NameSet(names);
    this.nameSets.set(signature, made);
    return made;
  }

  /** The `NameSet` a series' owned labels were filed under (its names besides const labels). */
  private nameSetOf(owned: Labels): NameSet | undefined {
    const constLabels = this.schema.constLabels;
    const names = Object.keys(owned).filter((name) => !Object.hasOwn(constLabels, name));
    return names.length === 0 ? undefined : this.nameSetFor(names, false);
  }

  /**
   * The level whose values are the tails of the prefix in `values` (the set's root for
   * one or two names); undefined when a level is missing, unless `make`.
   */
  private parentOfTail(set: NameSet, make: boolean): Level | undefined {
    const values = this.values;
    let level = set.root;
    const end = set.names.length - 2;
    for (let i = 0; i < end; i++) {
      let next = level.get(values[i]!) as Level | undefined;
      if (next === undefined) {
        if (!make) return undefined;
        next = new Map();
        level.set(values[i]!, next);
      }
      level = next;
    }
    return level;
  }

  /** The index of the series `values` name in `parent`'s tails, or -1. */
  private inTail(set: NameSet, parent: Level): number {
    const values = this.values;
    const last = set.names.length - 1;
    if (last === 0) return (parent.get(values[0]!) as number | undefined) ?? -1;
    const tail = parent.get(values[last - 1]!) as Tail | undefined;
    if (tail === undefined) return -1;
    if (typeof tail !== 'number') return tail.get(values[last]!) ?? -1;
    return this.owned[tail]![set.names[last]!] === values[last] ? tail : -1;
  }

  /** Takes the series `values` name out of `set` (it is there). */
  private unlink(set: NameSet): void {
    const values = this.values;
    const parent = this.parentOfTail(set, false)!;
    const last = set.names.length - 1;
    if (last === 0) {
      parent.delete(values[0]!);
      return;
    }
    const prefix = values[last - 1]!;
    const tail = parent.get(prefix) as Tail;
    if (typeof tail === 'number') {
      parent.delete(prefix);
      return;
    }
    tail.delete(values[last]!);
    // Back to the one series itself, as if it had been alone all along.
    if (tail.size === 1) parent.set(prefix, tail.values().next().value as number);
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
