import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { OptionError } from '../errors';

export interface DotenvValues {
  /** The file that was (or would have been) read, absolute. */
  readonly path: string;
  readonly values: Readonly<Record<string, string>>;
}

/**
 * Reads the dotenv file named by `<PREFIX>_DOTENV` (default `.env` in `cwd`). A missing
 * default file is no error; a missing or unreadable file that was asked for is.
 * Only parses: `process.env` is left as it is.
 */
export async function readDotenv(
  prefix: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): Promise<DotenvValues> {
  const variable = `${prefix}_DOTENV`;
  const requested = env[variable];
  const explicit = requested !== undefined && requested.trim() !== '';
  const path = resolve(cwd, explicit ? requested : '.env');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT')
      return { path, values: {} };
    throw new OptionError(
      `cannot read dotenv file ${path}${explicit ? ` (from env ${variable})` : ''}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { path, values: parse(text) };
}
