import { ConfigError } from '@promkit/core';

/** The kinds of value an option takes; `list` is repeatable on the command line. */
export type OptionType = 'string' | 'integer' | 'number' | 'boolean' | 'list';

/** A resolved option value, as `configure(args)` sees it. */
export type OptionValue = string | number | boolean | readonly string[] | undefined;

/**
 * One command-line option of an exporter. Its environment variable is
 * `<PREFIX>_<NAME>` (upper case, dashes → underscores), and the same name is read
 * from the dotenv file.
 *
 * @example
 * { name: 'sample-interval', description: 'seconds between samples', type: 'number', default: 5, min: 0.1 }
 */
export interface ExporterOption {
  /** Long name without dashes, kebab-case (dots allowed, as in `web.config.file`): `sample-interval` → `--sample-interval`, `args.sampleInterval`. */
  readonly name: string;
  /** One-letter alias: `i` → `-i`. */
  readonly short?: string;
  readonly description: string;
  /** Default `string`. `boolean` options are flags; `list` options repeat (`-H a -H b`). */
  readonly type?: OptionType;
  readonly default?: string | number | boolean | readonly string[];
  /** Allowed values of a `string` or `list` option (matched case-insensitively, stored as listed). */
  readonly choices?: readonly string[];
  /** Inclusive bounds of an `integer` or `number` option. */
  readonly min?: number;
  readonly max?: number;
  /** Fails startup when no source gives a value. */
  readonly required?: boolean;
  /** Placeholder in `--help`, e.g. `seconds` → `--sample-interval <seconds>`. */
  readonly valueName?: string;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off']);
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const LIST_SEPARATOR = /[\s,]+/;

/**
 * Converts one raw string (a command-line argument, or a whole env / dotenv value) to
 * the option's type; a `list` value is split at commas and white space. Returns a problem description instead of throwing, so the caller
 * can say where the value came from.
 */
export function parseOptionValue(
  option: ExporterOption,
  raw: string,
): { value: Exclude<OptionValue, undefined> } | { problem: string } {
  switch (option.type ?? 'string') {
    case 'boolean': {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return { problem: 'expected one of true, false, 1, 0, yes, no, on, off' };
    }
    case 'integer': {
      const text = raw.trim();
      if (!INTEGER.test(text)) return { problem: 'expected an integer' };
      return checkRange(option, Number(text));
    }
    case 'number': {
      const text = raw.trim();
      if (!NUMBER.test(text)) return { problem: 'expected a number' };
      return checkRange(option, Number(text));
    }
    case 'list': {
      const values: string[] = [];
      for (const item of raw.split(LIST_SEPARATOR)) {
        if (item === '') continue;
        const choice = matchChoice(option, item);
        if (choice === undefined) return { problem: choicesProblem(option) };
        values.push(choice);
      }
      if (values.length === 0) return { problem: 'expected at least one value' };
      return { value: values };
    }
    default: {
      const choice = matchChoice(option, raw);
      if (choice === undefined) return { problem: choicesProblem(option) };
      return { value: choice };
    }
  }
}

function checkRange(
  option: ExporterOption,
  value: number,
): { value: number } | { problem: string } {
  if (!Number.isFinite(value)) return { problem: 'expected a finite number' };
  if (option.min !== undefined && value < option.min) {
    return { problem: `must be ≥ ${option.min}` };
  }
  if (option.max !== undefined && value > option.max) {
    return { problem: `must be ≤ ${option.max}` };
  }
  return { value };
}

function matchChoice(option: ExporterOption, value: string): string | undefined {
  if (option.choices === undefined) return value;
  const lower = value.toLowerCase();
  return option.choices.find((choice) => choice.toLowerCase() === lower);
}

function choicesProblem(option: ExporterOption): string {
  return `expected one of ${(option.choices ?? []).join(', ')}`;
}

/** `sample-interval` → `sampleInterval`, `web.config.file` → `webConfigFile`: the key in `args`. */
export function optionKey(name: string): string {
  return name.replace(/[-.]([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** `MYEXP` + `metrics-path` → `MYEXP_METRICS_PATH` (`web.config.file` → `…_WEB_CONFIG_FILE`). */
export function envVarName(prefix: string, name: string): string {
  return `${prefix}_${name.replace(/[-.]/g, '_').toUpperCase()}`;
}

/** `My exporter-2` → `MY_EXPORTER_2`: the env prefix derived from a script name. */
export function envPrefixFromName(name: string): string {
  return name
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
}

const OPTION_NAME = /^[a-z][a-z0-9]*([-.][a-z0-9]+)*$/;
const SHORT_NAME = /^[A-Za-z]$/;
/** Taken by the command-line parser itself. */
const RESERVED_NAMES = new Set(['help', 'version']);
const RESERVED_SHORTS = new Set(['h']);

/**
 * Checks an exporter's option list once, before parsing: kebab-case unique names,
 * unique one-letter aliases, defaults and choices that fit the type.
 */
export function checkOptionSpecs(options: readonly ExporterOption[]): void {
  const names = new Set<string>();
  const shorts = new Set<string>();
  for (const option of options) {
    const label = `option ${JSON.stringify(option.name)}`;
    if (typeof option.name !== 'string' || !OPTION_NAME.test(option.name)) {
      throw new ConfigError(`${label}: the name must be kebab-case, like "sample-interval"`);
    }
    if (names.has(option.name) || RESERVED_NAMES.has(option.name)) {
      throw new ConfigError(`${label}: the name is already taken`);
    }
    names.add(option.name);
    if (option.short !== undefined) {
      if (!SHORT_NAME.test(option.short)) {
        throw new ConfigError(
          `${label}: short must be one letter, got ${JSON.stringify(option.short)}`,
        );
      }
      if (shorts.has(option.short) || RESERVED_SHORTS.has(option.short)) {
        throw new ConfigError(`${label}: -${option.short} is already taken`);
      }
      shorts.add(option.short);
    }
    const type = option.type ?? 'string';
    if (!OPTION_TYPES.includes(type)) {
      throw new ConfigError(
        `${label}: invalid type ${JSON.stringify(type)}, must be one of ${OPTION_TYPES.join(', ')}`,
      );
    }
    if (option.default !== undefined) checkDefault(option, label);
  }
}

const OPTION_TYPES: readonly OptionType[] = ['string', 'integer', 'number', 'boolean', 'list'];

function checkDefault(option: ExporterOption, label: string): void {
  const value = option.default;
  const type = option.type ?? 'string';
  const fits =
    type === 'boolean'
      ? typeof value === 'boolean'
      : type === 'list'
        ? Array.isArray(value) && value.every((item) => typeof item === 'string')
        : type === 'string'
          ? typeof value === 'string'
          : typeof value === 'number' && (type === 'number' || Number.isInteger(value));
  if (!fits) {
    throw new ConfigError(`${label}: default ${JSON.stringify(value)} is not a valid ${type}`);
  }
}
