import { ConfigError, LabelSetError } from '../errors';
import { labelText } from '../exposition/escape';
import type { InfoFamily, InfoPoint, Labels } from '../model';
import { REGISTRY } from '../registry';
import {
  type NameValidation,
  validateConstLabels,
  validateLabelName,
  validateMetricName,
} from '../validate';
import { wellFormed } from '../well-formed';
import type { MetricOptions } from './metric';

export type InfoOptions = Pick<MetricOptions, 'constLabels' | 'registry'>;

/**
 * Static information as labels on a constant 1, exposed as `<name>_info`.
 *
 * @example
 * const build = new Info('build', 'Build information.');
 * build.set({ version: '1.4.2', commit: 'a1b2c3' });
 */
export class Info {
  readonly type = 'info' as const;
  readonly name: string;
  readonly help: string;
  readonly constLabels: Labels;
  private point: InfoPoint | undefined;
  private readonly validation: NameValidation;

  constructor(name: string, help: string, options?: InfoOptions) {
    const registry = options?.registry === undefined ? REGISTRY : options.registry;
    this.validation = registry?.nameValidation ?? 'legacy';
    validateMetricName(name, this.validation, 'Info');
    if (typeof help !== 'string') throw new ConfigError(`Info "${name}": help must be a string`);
    this.name = name;
    this.help = wellFormed(help);
    this.constLabels = validateConstLabels(name, options?.constLabels ?? {}, [], this.validation);
    registry?.register(this);
  }

  /** Replaces the information labels. */
  set(info: Readonly<Record<string, string>>): void {
    const labels: Record<string, string> = { ...this.constLabels };
    for (const name of Object.keys(info)) {
      validateLabelName(this.name, name, [], this.validation);
      if (name in this.constLabels) {
        throw new LabelSetError(`Info "${this.name}": label "${name}" is already a const label`);
      }
      const value = info[name];
      if (typeof value !== 'string') {
        throw new LabelSetError(
          `Info "${this.name}": label "${name}" must be a string, got ${typeof value}`,
        );
      }
      labels[name] = wellFormed(value);
    }
    const frozen = Object.freeze(labels);
    this.point = { labels: frozen, labelText: labelText(frozen) };
  }

  /** The current information labels (const labels included), or undefined before `set`. */
  get(): Labels | undefined {
    return this.point?.labels;
  }

  reset(): void {
    this.point = undefined;
  }

  collect(): InfoFamily {
    return {
      name: this.name,
      help: this.help,
      type: 'info',
      points: this.point === undefined ? [] : [this.point],
    };
  }
}
