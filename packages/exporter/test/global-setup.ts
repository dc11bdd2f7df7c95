import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const OUTPUTS = ['dist/index.js', 'dist/sample/cli.js'];
const INPUTS = ['src', 'package.json', 'tsup.config.ts'];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path).map((entry) => newestMtime(join(path, entry))),
  );
}

/** The tests spawn the built bin: rebuild it when a source is newer than the output. */
export default function setup(): void {
  const outputs = OUTPUTS.map((file) => join(PACKAGE_DIR, file));
  const oldestOutput = outputs.every((file) => existsSync(file))
    ? Math.min(...outputs.map((file) => statSync(file).mtimeMs))
    : 0;
  const newestInput = Math.max(...INPUTS.map((input) => newestMtime(join(PACKAGE_DIR, input))));
  if (newestInput > oldestOutput) {
    execFileSync(join(PACKAGE_DIR, 'node_modules/.bin/tsup'), [], {
      cwd: PACKAGE_DIR,
      stdio: 'inherit',
    });
  }
}
