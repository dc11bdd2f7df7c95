import { LabelSetError } from '../errors';
import type { Labels } from '../model';
import { type NameValidation, validateLabelName } from '../validate';
import { ownedString, wellFormed } from '../well-formed';
import type { RawLabels } from './table';

/** Shared label-set checks, and the owned copy of a label set a series keeps. */
export class LabelSchema {
  constructor(
    readonly metric: string,
    /** Declared names, or undefined when any label set is accepted. */
    readonly names: readonly string[] | undefined,
    readonly constLabels: Labels,
    readonly reserved: readonly string[],
    readonly validation: NameValidation = 'legacy',
  ) {}

  /** The owned, frozen label set of a new series: const labels first. */
  owned(labels: RawLabels | undefined): Labels {
    const owned: Record<string, string> = { ...this.constLabels };
    if (labels !== undefined) {
      const declared = this.names !== undefined;
      const names = this.names ?? Object.keys(labels).sort();
      for (const name of names) {
        if (!declared) {
          validateLabelName(this.metric, name, this.reserved, this.validation);
          if (name in this.constLabels) {
            throw new LabelSetError(
              `Metric "${this.metric}": label "${name}" is already a const label`,
            );
          }
        }
        owned[name] = ownedString(this.stringValue(name, labels[name]));
      }
    }
    return Object.freeze(owned);
  }

  stringValue(name: string, v: unknown): string {
    if (typeof v === 'string') return wellFormed(v);
    if (typeof v === 'number') return `${v}`;
    throw new LabelSetError(
      `Metric "${this.metric}": label "${name}" must be a string or number, got ${v === null ? 'null' : typeof v}`,
    );
  }

  checkObject(labels: unknown): void {
    if (typeof labels !== 'object' && labels !== undefined) {
      throw new LabelSetError(
        `Metric "${this.metric}": labels must be an object, got ${typeof labels} ${JSON.stringify(labels)}`,
      );
    }
  }

  mismatch(labels: RawLabels | undefined | null): LabelSetError {
    const names = this.names ?? [];
    if (labels === undefined || labels === null) {
      return new LabelSetError(
        `Metric "${this.metric}" needs labels ${JSON.stringify(names)}, got none`,
      );
    }
    // Keys as for-in sees them (inherited enumerable ones too), the set every find counts.
    const given: string[] = [];
    for (const key in labels) given.push(key);
    const missing = names.filter((n) => !given.includes(n) || labels[n] === undefined);
    const extra = given.filter((n) => !names.includes(n));
    const parts: string[] = [];
    if (missing.length > 0) parts.push(`missing ${JSON.stringify(missing)}`);
    if (extra.length > 0) parts.push(`unexpected ${JSON.stringify(extra)}`);
    for (const n of names) {
      const v = given.includes(n) ? labels[n] : undefined;
      if (v !== undefined && typeof v !== 'string' && typeof v !== 'number') {
        parts.push(
          `label "${n}" must be a string or number, got ${v === null ? 'null' : typeof v}`,
        );
      }
    }
    return new LabelSetError(
      `Metric "${this.metric}" expects labels ${JSON.stringify(names)}: ${parts.join(', ') || 'wrong label set'}`,
    );
  }
}
