import { LabelSetError } from './errors';
import type { LabelValue } from './labels';
import type { Labels } from './model';
import { validateLabelName } from './validate';

/** Joins label values into a series key. Values containing it take the escaped path. */
const SEP = '\u0001';
/** Every escaped key starts with SEP; no plain key can, so the two never collide. */
const ESCAPED_PREFIX = SEP;

export interface SeriesIdentity {
  readonly key: string;
  /** The label values as owned copies, in exposition order, const labels first. */
  readonly labels: Labels;
}

/**
 * Maps caller label objects to series keys. With declared label names the key is the
 * values joined in declared order (no sorting, no allocation for one label); without
 * them, names are sorted so `{a,b}` and `{b,a}` are one series.
 */
export class SeriesIndex {
  private readonly declared: boolean;

  constructor(
    private readonly metric: string,
    private readonly labelNames: readonly string[] | undefined,
    private readonly constLabels: Labels,
    private readonly reserved: readonly string[],
  ) {
    this.declared = labelNames !== undefined;
  }

  /** Whether labels were declared and the list is empty: the metric has one series. */
  get hasNoLabels(): boolean {
    return this.declared && this.labelNames!.length === 0;
  }

  /** The lookup key for `labels`. Validates the label set against declared names. */
  keyOf(labels: Readonly<Record<string, LabelValue>> | undefined): string {
    if (typeof labels !== 'object' && labels !== undefined) {
      throw new LabelSetError(
        `Metric "${this.metric}": labels must be an object, got ${typeof labels} ${JSON.stringify(labels)}`,
      );
    }
    if (this.declared) return this.declaredKey(labels);
    return this.anyKey(labels);
  }

  /** Builds the owned label set of a new series. Called once per series. */
  identity(key: string, labels: Readonly<Record<string, LabelValue>> | undefined): SeriesIdentity {
    const owned: Record<string, string> = { ...this.constLabels };
    if (labels !== undefined) {
      const names = this.labelNames ?? Object.keys(labels).sort();
      for (const name of names) {
        if (!this.declared) {
          validateLabelName(this.metric, name, this.reserved);
          if (name in this.constLabels) {
            throw new LabelSetError(
              `Metric "${this.metric}": label "${name}" is already a const label`,
            );
          }
        }
        owned[name] = stringValue(this.metric, name, labels[name]);
      }
    }
    return { key, labels: Object.freeze(owned) };
  }

  private declaredKey(labels: Readonly<Record<string, LabelValue>> | undefined): string {
    const names = this.labelNames!;
    const count = names.length;
    if (labels === undefined || labels === null) {
      if (count === 0) return '';
      throw new LabelSetError(
        `Metric "${this.metric}" needs labels ${JSON.stringify(names)}, got none`,
      );
    }
    let given = 0;
    for (const _ in labels) given++;
    if (given !== count) throw this.mismatch(labels);
    if (count === 1) {
      const v = labels[names[0]!];
      const s = typeof v === 'string' ? v : this.coerce(names[0]!, v, labels);
      return s.indexOf(SEP) === -1 ? s : this.escapedKey(labels);
    }
    let key = '';
    for (let i = 0; i < count; i++) {
      const name = names[i]!;
      const v = labels[name];
      const s = typeof v === 'string' ? v : this.coerce(name, v, labels);
      if (s.indexOf(SEP) !== -1) return this.escapedKey(labels);
      key = i === 0 ? s : key + SEP + s;
    }
    return key;
  }

  private coerce(
    name: string,
    v: LabelValue | undefined,
    labels: Readonly<Record<string, LabelValue>>,
  ): string {
    if (typeof v === 'number') return `${v}`;
    if (v === undefined) throw this.mismatch(labels);
    return stringValue(this.metric, name, v);
  }

  private anyKey(labels: Readonly<Record<string, LabelValue>> | undefined): string {
    if (labels === undefined || labels === null) return '';
    const names = Object.keys(labels);
    if (names.length === 0) return '';
    names.sort();
    let key = '';
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const s = stringValue(this.metric, name, labels[name]);
      if (s.indexOf(SEP) !== -1 || s.indexOf('=') !== -1) return this.escapedKey(labels);
      key += i === 0 ? `${name}=${s}` : `${SEP}${name}=${s}`;
    }
    return key;
  }

  private escapedKey(labels: Readonly<Record<string, LabelValue>>): string {
    const names = this.labelNames ?? Object.keys(labels).sort();
    const pairs: string[] = [];
    for (const name of names) pairs.push(name, stringValue(this.metric, name, labels[name]));
    return ESCAPED_PREFIX + JSON.stringify(pairs);
  }

  private mismatch(labels: Readonly<Record<string, LabelValue>>): LabelSetError {
    const names = this.labelNames ?? [];
    const given = Object.keys(labels);
    const missing = names.filter((n) => !(n in labels) || labels[n] === undefined);
    const extra = given.filter((n) => !names.includes(n));
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${JSON.stringify(missing)}`);
    if (extra.length > 0) parts.push(`unexpected ${JSON.stringify(extra)}`);
    return new LabelSetError(
      `Metric "${this.metric}" expects labels ${JSON.stringify(names)}: ${parts.join(', ') || 'wrong label set'}`,
    );
  }
}

function stringValue(metric: string, name: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return `${v}`;
  throw new LabelSetError(
    `Metric "${metric}": label "${name}" must be a string or number, got ${v === null ? 'null' : typeof v}`,
  );
}
