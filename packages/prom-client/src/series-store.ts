import type { LabelValue, StoredLabels } from './labels';

/**
 * What every stored series carries, each field given when the series is made (a field
 * added later moves an object's fields out of it: ~40 B more a series).
 */
export interface SeriesBase {
  /** Its own copy of the labels. */
  readonly labels: StoredLabels;
  /**
   * Its last label's value as a key (see `Tail`): `labels` itself is handed to callers
   * of `get()`, who may change it.
   */
  readonly tailKey: string | undefined;
  /** Escaped `a="x",b="y"` text of `labels`, built at the first scrape. */
  text: string | undefined;
}

/** Makes a series of `labels` (owned) whose last label's key is `tailKey`. */
export type NewSeries<S extends SeriesBase> = (
  labels: StoredLabels,
  tailKey: string | undefined,
) => S;

/**
 * Under a prefix (every label value but the last): its one series itself, or a `Map` by
 * last value once it has more. Most prefixes hold one series (`{method, path, status}`
 * sorts the status last, and a path rarely answers with more than one), and a `Map` of
 * one entry costs ~256 B where the series costs nothing more.
 */
type Tail<S> = S | Map<string | undefined, S>;
type Node<S> = Map<string | undefined, Node<S> | Tail<S>>;

/**
 * The series of one metric, found by label values without building a key string: one
 * nested `Map` level per declared label (sorted by name, so `{a,b}` and `{b,a}` meet),
 * keyed by the value as a string (`200` and `'200'` are one series, as in prom-client)
 * or `undefined` for an absent label; the last level is a `Tail`. `series` keeps
 * insertion order for exposition. Label values are compared exactly, so values
 * containing separators never collide.
 */
export class SeriesStore<S extends SeriesBase> {
  private readonly sortedNames: readonly string[];
  /** The keys of the labels being looked up, by sorted position (see `read`). */
  private readonly keys: Array<string | undefined>;
  private root: Node<S> = new Map();
  private single: S | undefined;
  /** Every series in insertion order. */
  readonly series = new Set<S>();
  /** Moves whenever a series may have been dropped, so bound children look up again. */
  generation = 0;

  constructor(labelNames: readonly string[]) {
    this.sortedNames = [...new Set(labelNames)].sort();
    this.keys = this.sortedNames.map(() => undefined);
  }

  /**
   * Reads the declared labels of `labels` into `keys` (undefined where absent) in one
   * for-in pass: `labels[name]` on the key being enumerated is a fast load, where
   * `labels[names[i]]` is a megamorphic keyed load per label (measured: ~140
   * instructions each). Returns the first name that is not declared, if any (`keys` is
   * then incomplete) unless `skipUndeclared`; `obtainRead` finds the series of what was read.
   */
  read(labels: Record<string, unknown>, skipUndeclared = false): string | undefined {
    const names = this.sortedNames;
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) keys[i] = undefined;
    let given = 0;
    for (const name in labels) {
      // Callers usually give the labels in sorted (often declared) order.
      const at = names[given] === name ? given : names.indexOf(name);
      given++;
      if (at !== -1) keys[at] = keyOf(labels[name]);
      else if (!skipUndeclared) return name;
    }
    return undefined;
  }

  /** The series for `labels`, or undefined. Names that are not declared are ignored (as prom-client's `_getValue` does). */
  find(labels: Record<string, unknown>): S | undefined {
    const names = this.sortedNames;
    if (names.length === 0) return this.single;
    this.read(labels, true);
    const keys = this.keys;
    const last = names.length - 1;
    if (last === 0) return this.root.get(keys[0]) as S | undefined;
    const parent = this.parentOfTail(false);
    const tail = parent?.get(keys[last - 1]) as Tail<S> | undefined;
    if (tail === undefined) return undefined;
    if (tail instanceof Map) return tail.get(keys[last]);
    return tail.tailKey === keys[last] ? tail : undefined;
  }

  /**
   * The node whose values are the tails of the prefix in `keys` (the root for two
   * labels); undefined when a level is missing, unless `make` (then it is added).
   */
  private parentOfTail(make: boolean): Node<S> | undefined {
    const keys = this.keys;
    let node: Node<S> = this.root;
    const end = keys.length - 2;
    for (let i = 0; i < end; i++) {
      let next = node.get(keys[i]) as Node<S> | undefined;
      if (next === undefined) {
        if (!make) return undefined;
        next = new Map();
        node.set(keys[i], next);
      }
      node = next;
    }
    return node;
  }

  /** The series for `labels`, made with `create` when new. `labels` must hold declared names only. */
  obtain(labels: Record<string, unknown>, create: NewSeries<S>): S {
    if (this.sortedNames.length > 0) this.read(labels);
    return this.obtainRead(labels, create);
  }

  /** `obtain` for the `labels` that `read` was just given (and found no undeclared name in). */
  obtainRead(labels: Record<string, unknown>, create: NewSeries<S>): S {
    const names = this.sortedNames;
    if (names.length === 0) {
      if (this.single === undefined) {
        this.single = create({}, undefined);
        this.series.add(this.single);
      }
      return this.single;
    }
    const keys = this.keys;
    const last = names.length - 1;
    const key = keys[last];
    if (last === 0) {
      let found = this.root.get(key) as S | undefined;
      if (found === undefined) {
        found = this.added(labels, create);
        this.root.set(key, found);
      }
      return found;
    }
    const parent = this.parentOfTail(true)!;
    const prefix = keys[last - 1];
    const tail = parent.get(prefix) as Tail<S> | undefined;
    if (tail === undefined) {
      const found = this.added(labels, create);
      parent.set(prefix, found);
      return found;
    }
    if (tail instanceof Map) {
      let found = tail.get(key);
      if (found === undefined) {
        found = this.added(labels, create);
        tail.set(key, found);
      }
      return found;
    }
    const other = tail.tailKey;
    if (other === key) return tail;
    const found = this.added(labels, create);
    parent.set(
      prefix,
      new Map([
        [other, tail],
        [key, found],
      ]),
    );
    return found;
  }

  /** A new series for `labels` (its own copy of them), kept in insertion order. */
  private added(labels: Record<string, unknown>, create: NewSeries<S>): S {
    const series = create(ownCopy(labels), this.keys[this.keys.length - 1]);
    this.series.add(series);
    return series;
  }

  /** Replaces (or adds) the series for `labels` with a fresh one. */
  replace(labels: Record<string, unknown>, create: NewSeries<S>): S {
    this.delete(labels);
    return this.obtain(labels, create);
  }

  delete(labels: Record<string, unknown>): void {
    const names = this.sortedNames;
    if (names.length === 0) {
      if (this.single !== undefined) this.series.delete(this.single);
      this.single = undefined;
      this.generation++;
      return;
    }
    if (this.read(labels) !== undefined) return;
    const keys = this.keys;
    const last = names.length - 1;
    const key = keys[last];
    let found: S | undefined;
    if (last === 0) {
      found = this.root.get(key) as S | undefined;
      if (found !== undefined) this.root.delete(key);
    } else {
      const parent = this.parentOfTail(false);
      const prefix = keys[last - 1];
      const tail = parent?.get(prefix) as Tail<S> | undefined;
      if (tail instanceof Map) {
        found = tail.get(key);
        if (found !== undefined) {
          tail.delete(key);
          // Back to the one series itself, as if it had been alone all along.
          if (tail.size === 1) parent!.set(prefix, tail.values().next().value as S);
        }
      } else if (tail !== undefined && tail.tailKey === key) {
        found = tail;
        parent!.delete(prefix);
      }
    }
    if (found === undefined) return;
    this.series.delete(found);
    this.generation++;
  }

  clear(): void {
    this.root = new Map();
    this.single = undefined;
    this.series.clear();
    this.generation++;
  }
}

function keyOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : value === undefined ? undefined : String(value);
}

/** The labels a series owns: a copy (callers may reuse their object), absent values left out. */
function ownCopy(labels: Record<string, unknown>): StoredLabels {
  const owned: StoredLabels = {};
  for (const name in labels) {
    const value = labels[name];
    if (value !== undefined) owned[name] = value as LabelValue;
  }
  return owned;
}
