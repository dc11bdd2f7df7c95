import { labelText } from '../exposition/escape';
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

/** Separates `name=value` pairs in a key; values containing it take the escaped path. */
const SEP = '\u0001';

/**
 * Series of a metric without declared label names (any label set, aioprometheus
 * style): keyed by the sorted `name=value` pairs, so `{a,b}` and `{b,a}` are one series.
 * Each series keeps its owned label set, since names differ from series to series.
 */
export class AnySeriesTable implements SeriesTable {
  private readonly map = new Map<string, number>();
  private owned: Array<Labels | undefined> = [];
  /** The key of each index, to remove it by index. */
  private keys: Array<string | undefined> = [];
  private readonly indices = new IndexAllocator();

  constructor(private readonly schema: LabelSchema) {}

  get size(): number {
    return this.map.size;
  }

  find(labels: RawLabels | undefined): number {
    return this.map.get(this.keyOf(labels)) ?? -1;
  }

  insert(labels: RawLabels | undefined): number {
    const key = this.keyOf(labels);
    const owned = this.schema.owned(labels);
    const index = this.indices.take();
    this.map.set(key, index);
    this.owned[index] = owned;
    this.keys[index] = key;
    return index;
  }

  remove(labels: RawLabels | undefined): number {
    const key = this.keyOf(labels);
    const index = this.map.get(key);
    if (index === undefined) return -1;
    this.removeAt(index);
    return index;
  }

  removeAt(index: number): void {
    const key = this.keys[index];
    if (key === undefined) return;
    this.map.delete(key);
    this.owned[index] = undefined;
    this.keys[index] = undefined;
    this.indices.release(index);
  }

  view(): SeriesView {
    // Label sets are frozen and never change: copying the references is the snapshot.
    const owned = this.owned.slice(0, this.indices.end);
    return {
      indices: liveIndices(this, this.indices.end),
      labelsOf: (index) => owned[index]!,
      labelTextOf: (index) => labelText(owned[index]!),
      labelPairs: (index, out) => pairsOf(owned[index]!, out),
    };
  }

  clear(): void {
    this.map.clear();
    this.owned = [];
    this.keys = [];
    this.indices.reset();
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

  private keyOf(labels: RawLabels | undefined): string {
    this.schema.checkObject(labels);
    if (labels === undefined || labels === null) return '';
    const names = Object.keys(labels);
    if (names.length === 0) return '';
    names.sort();
    const parts: string[] = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const s = this.schema.stringValue(name, labels[name]);
      // A name can never contain SEP or '=' (names are validated when a series is made,
      // so only a valid name can match); a value containing either is escaped instead.
      if (s.indexOf(SEP) !== -1 || s.indexOf('=') !== -1) return this.escapedKey(labels, names);
      if (i > 0) parts.push(SEP);
      parts.push(name, '=', s);
    }
    // Joined, so the key a series keeps is one flat string: made with `+=` it was a rope
    // that also held the caller's value strings (~200 B more a series).
    return parts.join('');
  }

  /** Starts with SEP, which no plain key can, so the two kinds never collide. */
  private escapedKey(labels: RawLabels, sortedNames: readonly string[]): string {
    const pairs = sortedNames.map((name) => [name, this.schema.stringValue(name, labels[name])]);
    return SEP + JSON.stringify(pairs);
  }
}
