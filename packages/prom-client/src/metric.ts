import type { MetricFamily } from '@promkit/core';
import { escapeText } from './format';
import { globalRegistry } from './global-registry';
import { RUN_COLLECT, TO_FAMILY, WRITE_TEXT } from './internal';
import { isObject, labelsFromArgs, type StoredLabels } from './labels';
import type { Registry } from './registry';
import type { SeriesBase } from './series-store';
import { SeriesStore } from './series-store';
import {
  type Aggregator,
  type MetricObjectWithValues,
  type MetricValue,
  PROMETHEUS_CONTENT_TYPE,
  type RegistryContentType,
} from './types';
import { unknownLabel, validateLabelName, validateMetricName } from './validation';

/** Options every metric type accepts, as prom-client 15 names them. */
export interface MetricConfiguration<T extends string> {
  name: string;
  help: string;
  labelNames?: T[] | readonly T[];
  registers?: Registry<RegistryContentType>[] | ReadonlyArray<Registry<RegistryContentType>>;
  aggregator?: Aggregator;
  // biome-ignore lint/suspicious/noExplicitAny: prom-client types `this` of collect loosely
  collect?: (this: any) => void | Promise<void>;
  enableExemplars?: boolean;
}

/**
 * What prom-client's metrics share: option checks, registration, label validation and the
 * series store. Subclasses add the value operations and their two writers (prom-client's
 * text and promkit's `MetricFamily`).
 */
export abstract class BaseMetric<T extends string, S extends SeriesBase> {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly T[];
  readonly registers: Registry<RegistryContentType>[];
  readonly aggregator: Aggregator;
  readonly enableExemplars: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: as in MetricConfiguration
  readonly collect?: (this: any) => void | Promise<void>;
  abstract readonly type: 'counter' | 'gauge' | 'histogram' | 'summary';
  /** @internal */
  protected readonly store: SeriesStore<S>;

  constructor(config: MetricConfiguration<T>, reserved?: string) {
    if (!isObject(config)) throw new TypeError('constructor expected a config object');
    this.name = config.name;
    this.help = config.help;
    this.labelNames = config.labelNames ? [...config.labelNames] : [];
    this.registers = config.registers ? [...config.registers] : [globalRegistry];
    this.aggregator = config.aggregator ?? 'sum';
    this.enableExemplars = config.enableExemplars ?? false;
    if (config.collect !== undefined) this.collect = config.collect;
    if (!this.help) throw new Error('Missing mandatory help parameter');
    if (!this.name) throw new Error('Missing mandatory name parameter');
    if (!validateMetricName(this.name)) throw new Error('Invalid metric name');
    if (!validateLabelName(this.labelNames)) throw new Error('Invalid label name');
    if (this.collect && typeof this.collect !== 'function') {
      throw new Error('Optional "collect" parameter must be a function');
    }
    if (reserved !== undefined && this.labelNames.includes(reserved as T)) {
      throw new Error(`${reserved} is a reserved label keyword`);
    }
    this.store = new SeriesStore<S>(this.labelNames);
  }

  /** Registers with `registers`; called by subclasses once their state is ready. */
  protected registerAll(): void {
    for (const registry of this.registers) {
      if (this.enableExemplars && registry.contentType === PROMETHEUS_CONTENT_TYPE) {
        throw new TypeError('Exemplars are supported only on OpenMetrics registries');
      }
      registry.registerMetric(this);
    }
  }

  /** Throws prom-client's error for a label outside `labelNames`. */
  protected check(labels: object): void {
    // Names compared as strings (declared order first), not looked up in an object: a
    // keyed load with a for-in key on another object is megamorphic (~70 instructions).
    const names = this.labelNames;
    let given = 0;
    for (const name in labels) {
      if (names[given] !== name && !names.includes(name as T)) {
        throw unknownLabel(name, names);
      }
      given++;
    }
  }

  /**
   * `check` that also reads the labels for the store's `obtainRead` (one pass over them
   * instead of two); call `obtainRead` next, before anything else uses the store.
   */
  protected readChecked(labels: object): void {
    const unknown = this.store.read(labels as Record<string, unknown>);
    if (unknown !== undefined) throw unknownLabel(unknown, this.labelNames);
  }

  /** prom-client's `labels(...)` argument rule. */
  protected labelArgs(args: readonly unknown[]): Record<string, unknown> {
    return labelsFromArgs(this.labelNames, args);
  }

  /**
   * Removes the series with these labels (positional values or an object).
   */
  remove(...args: unknown[]): void {
    const labels = this.labelArgs(args);
    this.check(labels);
    this.store.delete(labels);
  }

  /** @internal Moves whenever series may have been dropped (bound children look up again). */
  get generation(): number {
    return this.store.generation;
  }

  abstract reset(): void;
  abstract get(): Promise<MetricObjectWithValues<MetricValue<T>>>;

  /** @internal */
  [RUN_COLLECT](): void | Promise<void> {
    const collect = this.collect;
    if (collect === undefined) return;
    const result = collect.call(this);
    return result instanceof Promise ? result : undefined;
  }

  /** @internal */
  abstract [WRITE_TEXT](openMetrics: boolean, defaults: StoredLabels | undefined): string;
  /** @internal */
  abstract [TO_FAMILY](defaults: StoredLabels | undefined): MetricFamily;

  /** `# HELP` and `# TYPE` lines (the name without `_total` for an OpenMetrics counter). */
  protected header(openMetrics: boolean): { head: string; sample: string } {
    const base =
      openMetrics && this.type === 'counter' ? this.name.replace(/_total$/, '') : this.name;
    const name = escapeText(base);
    return {
      head: `# HELP ${name} ${escapeText(this.help)}\n# TYPE ${name} ${this.type}`,
      sample: openMetrics && this.type === 'counter' ? `${name}_total` : name,
    };
  }
}

/**
 * The escaped label text of a series, cached on it (its labels never change). Joined, so
 * it is one flat string: made with `+=` it would be a tree of ~13 rope nodes for three
 * labels, ~500 B kept per series where the flat text is ~70 B.
 */
export function seriesText(series: SeriesBase): string {
  let text = series.text;
  if (text === undefined) {
    const parts: string[] = [];
    const labels = series.labels;
    for (const name in labels) {
      parts.push(parts.length === 0 ? '' : ',', name, '="', escapeValue(labels[name]!), '"');
    }
    text = parts.join('');
    series.text = text;
  }
  return text;
}

function escapeValue(value: string | number): string {
  if (typeof value !== 'string') return `${value}`;
  return value.replace(/[\\\n"]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\"'));
}

/** Default labels not already set on the series, as `,a="x"` text (empty when none). */
export function extraDefaults(series: SeriesBase, defaults: StoredLabels | undefined): string {
  if (defaults === undefined) return '';
  let text = '';
  for (const name in defaults) {
    if (!Object.hasOwn(series.labels, name)) {
      text += `,${name}="${escapeValue(defaults[name]!)}"`;
    }
  }
  return text;
}

/** `{labels}` for a series with the registry defaults appended; '' when there are none. */
export function braces(series: SeriesBase, defaults: StoredLabels | undefined): string {
  const own = seriesText(series);
  let extra = extraDefaults(series, defaults);
  if (own === '' && extra !== '') extra = extra.slice(1);
  const all = own + extra;
  return all === '' ? '' : `{${all}}`;
}

/**
 * Labels for promkit: series labels then missing defaults, as strings. The series' own
 * object when it already is that (no defaults, every value a string): a scrape through a
 * promkit endpoint then makes no labels object per series.
 */
export function familyLabels(
  series: SeriesBase,
  defaults: StoredLabels | undefined,
): Record<string, string> {
  const own = series.labels;
  if (defaults === undefined && allStrings(own)) return own as Record<string, string>;
  const labels: Record<string, string> = {};
  for (const name in own) labels[name] = String(own[name]);
  if (defaults !== undefined) {
    for (const name in defaults) if (!(name in labels)) labels[name] = String(defaults[name]);
  }
  return labels;
}

/** The series' cached label text, when it is all of its labels (no defaults to add). */
export function familyLabelText(
  series: SeriesBase,
  defaults: StoredLabels | undefined,
): string | undefined {
  return defaults === undefined ? seriesText(series) : undefined;
}

function allStrings(labels: StoredLabels): boolean {
  for (const name in labels) if (typeof labels[name] !== 'string') return false;
  return true;
}
