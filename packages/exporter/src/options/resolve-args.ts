import { OptionError } from '../errors';
import {
  type ExporterOption,
  envVarName,
  type OptionValue,
  optionKey,
  parseOptionValue,
} from './option-spec';

/** Where an option's value came from, highest precedence first. */
export type OptionSource = 'command line' | 'env' | 'dotenv' | 'default';

/** What the command-line parser found: raw strings, string arrays for lists, `true` for flags. */
export type CommandLineValues = Readonly<Record<string, string | readonly string[] | boolean>>;

export interface OptionInputs {
  readonly prefix: string;
  readonly commandLine: CommandLineValues;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly dotenv: Readonly<Record<string, string>>;
  /** For messages: the dotenv file the values were read from. */
  readonly dotenvPath: string;
}

export interface ResolvedArgs {
  /** Option values by camelCase key (`metrics-path` → `metricsPath`). */
  readonly values: Readonly<Record<string, OptionValue>>;
  readonly sources: Readonly<Record<string, OptionSource>>;
}

/**
 * Gives each option its value with the precedence command line > env > dotenv >
 * default, converted and checked. An empty env or dotenv value counts as unset.
 * Throws `OptionError` naming the option, the bad value and where it came from.
 */
export function resolveArgs(
  options: readonly ExporterOption[],
  inputs: OptionInputs,
): ResolvedArgs {
  const values: Record<string, OptionValue> = {};
  const sources: Record<string, OptionSource> = {};
  for (const option of options) {
    const key = optionKey(option.name);
    const envName = envVarName(inputs.prefix, option.name);
    const picked = pickRaw(key, envName, inputs);
    if (picked === undefined) {
      if (option.required === true && option.default === undefined) {
        throw new OptionError(
          `missing required option --${option.name} (or env ${envName}, or ${envName} in ${inputs.dotenvPath})`,
        );
      }
      values[key] = option.default;
      sources[key] = 'default';
      continue;
    }
    if (picked.raw === true) {
      values[key] = true;
    } else {
      const parsed = parseOptionValue(option, picked.raw);
      if ('problem' in parsed) {
        throw new OptionError(
          `invalid value ${JSON.stringify(picked.raw)} for --${option.name} ${picked.where}: ${parsed.problem}`,
        );
      }
      values[key] = parsed.value;
    }
    sources[key] = picked.source;
  }
  return { values, sources };
}

interface PickedRaw {
  readonly raw: string | true;
  readonly source: OptionSource;
  readonly where: string;
}

function pickRaw(key: string, envName: string, inputs: OptionInputs): PickedRaw | undefined {
  const cli = inputs.commandLine[key];
  if (cli !== undefined && cli !== false) {
    const raw = cli === true ? true : typeof cli === 'string' ? cli : cli.join(',');
    return { raw, source: 'command line', where: 'on the command line' };
  }
  const env = inputs.env[envName];
  if (env !== undefined && env.trim() !== '') {
    return { raw: env, source: 'env', where: `from env ${envName}` };
  }
  const dotenv = inputs.dotenv[envName];
  if (dotenv !== undefined && dotenv.trim() !== '') {
    return { raw: dotenv, source: 'dotenv', where: `from ${envName} in ${inputs.dotenvPath}` };
  }
  return undefined;
}
