import type { LabelValue, StoredLabels } from './labels';

/** What every stored series carries: its own copy of the labels. */
export interface SeriesBase {
  readonly labels: StoredLabels;
  /** Escaped `a="x",b="y"` text of `labels`, built at the first scrape. */
  text?: string;
}

type Node<S> = Map<string | undefined, Node<S> | S>;

/**
 * The series of one metric, found by label values without building a key string: one
 * nested `Map` level per declared label (sorted by name, so `{a,b}` and `{b,a}` meet),
 * keyed by the value as a string (`200` and `'200'` are one series, as in prom-client)
 * or `undefined` for an absent label. `series` keeps insertion order for exposition.
 * Label values are compared exactly, so values containing separators never collide.
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
    let node: Node<S> = this.root;
    const last = names.length - 1;
    for (let i = 0; i < last; i++) {
      const next = node.get(keys[i]) as Node<S> | undefined;
      if (next === undefined) return undefined;
      node = next;
    }
    return node.get(keys[last]) as S | undefined;
  }

  /**
   * The series for `labels`, created with `create(ownedLabels)` when new. `labels` must
   * hold declared names only.
   */
  obtain(labels: Record<string, unknown>, create: (labels: StoredLabels) => S): S {
    if (this.sortedNames.length > 0) this.read(labels);
    return this.obtainRead(labels, create);
  }

  /** `obtain` for the `labels` that `read` was just given (and found no undeclared name in). */
  obtainRead(labels: Record<string, unknown>, create: (labels: StoredLabels) => S): S {
    const names = this.sortedNames;
    if (names.length === 0) {
      if (this.single === undefined) {
        this.single = create({});
        this.series.add(this.single);
      }
      return this.single;
    }
    const keys = this.keys;
    let node: Node<S> = this.root;
    const last = names.length - 1;
    for (let i = 0; i < last; i++) {
      const key = keys[i];
      let next = node.get(key) as Node<S> | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(key, next);
      }
      node = next;
    }
    const key = keys[last];
    let found = node.get(key) as S | undefined;
    if (found === undefined) {
      found = create(ownCopy(labels));
      node.set(key, found);
      this.series.add(found);
    }
    return found;
  }

  /** Replaces (or adds) the series for `labels` with a fresh one. */
  replace(labels: Record<string, unknown>, create: (labels: StoredLabels) => S): S {
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
    let node: Node<S> = this.root;
    const last = names.length - 1;
    for (let i = 0; i < last; i++) {
      const next = node.get(keys[i]) as Node<S> | undefined;
      if (next === undefined) return;
      node = next;
    }
    const key = keys[last];
    const found = node.get(key) as S | undefined;
    if (found === undefined) return;
    node.delete(key);
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
