import { Command, CommanderError, Option } from 'commander';
import { OptionError } from '../errors';
import { type ExporterOption, envVarName, optionKey } from './option-spec';
import type { CommandLineValues } from './resolve-args';

export interface CommandLineMeta {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly prefix: string;
}

/** What the command line asks for: run with these values, or just print text and exit 0. */
export type CommandLine =
  | { readonly kind: 'run'; readonly values: CommandLineValues }
  | { readonly kind: 'print'; readonly text: string };

/**
 * Parses `argv` (without the node and script paths). Only reads the command line:
 * env, dotenv and defaults are merged afterwards by `resolveArgs`, so the precedence
 * is decided in one place. Throws `OptionError` for unknown options and missing values.
 */
export function parseCommandLine(
  meta: CommandLineMeta,
  options: readonly ExporterOption[],
  argv: readonly string[],
): CommandLine {
  let printed = '';
  const program = buildProgram(meta, options).configureOutput({
    writeOut: (text) => {
      printed += text;
    },
    writeErr: (text) => {
      printed += text;
    },
    outputError: () => {},
  });
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
      return { kind: 'print', text: printed };
    }
    throw new OptionError(`${error.message.replace(/^error: /, '')} (see --help)`);
  }
  const parsed = program.opts();
  // Commander camel-cases at dashes only; dotted names (`web.config.file`) keep their dots.
  const values: Record<string, string | readonly string[] | boolean> = {};
  for (const option of options) {
    const attribute = new Option(`--${option.name}`).attributeName();
    if (parsed[attribute] !== undefined) values[optionKey(option.name)] = parsed[attribute];
  }
  return { kind: 'run', values };
}

/** The `--help` text, as `parseCommandLine` prints it for `--help`. */
export function helpText(meta: CommandLineMeta, options: readonly ExporterOption[]): string {
  return buildProgram(meta, options).helpInformation();
}

function buildProgram(meta: CommandLineMeta, options: readonly ExporterOption[]): Command {
  const program = new Command(meta.name)
    .description(meta.description)
    .exitOverride()
    .allowExcessArguments(false)
    .helpOption('-h, --help', 'show this help and exit')
    .version(`${meta.name} ${meta.version}`, '--version', 'print the version and exit')
    .addHelpText(
      'after',
      `\nEvery option can also be set with its environment variable, or with that variable in a
dotenv file (path from ${meta.prefix}_DOTENV, default ./.env).
Precedence: command line > environment > dotenv file > default.`,
    );
  for (const option of options) program.addOption(commanderOption(meta.prefix, option));
  return program;
}

function commanderOption(prefix: string, option: ExporterOption): Option {
  const short = option.short === undefined ? '' : `-${option.short}, `;
  const placeholder = option.valueName ?? 'value';
  const argument =
    option.type === 'boolean'
      ? ''
      : option.type === 'list'
        ? ` <${placeholder}...>`
        : ` <${placeholder}>`;
  const flags = `${short}--${option.name}${argument}`;
  return new Option(flags, `${option.description} ${helpSuffix(prefix, option)}`);
}

function helpSuffix(prefix: string, option: ExporterOption): string {
  const parts = [`env: ${envVarName(prefix, option.name)}`];
  if (option.default !== undefined) parts.push(`default: ${formatDefault(option.default)}`);
  else if (option.required === true) parts.push('required');
  return `(${parts.join(', ')})`;
}

function formatDefault(value: string | number | boolean | readonly string[]): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}
