import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Runs `fixture` with a package's built entry in a plain Node process (`node <flags>
 * fixture entry ...args`) and parses the one JSON line it prints. A missing build fails
 * loudly: `pnpm build` first when running a test by hand.
 */
export async function runNodeFixture<T>(
  fixture: string,
  entry: string,
  args: readonly string[] = [],
  flags: readonly string[] = [],
): Promise<T> {
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run pnpm build first`);
  const { stdout } = await promisify(execFile)(process.execPath, [
    ...flags,
    fixture,
    entry,
    ...args,
  ]);
  return JSON.parse(stdout) as T;
}
