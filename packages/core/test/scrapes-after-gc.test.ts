import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// A scrape's optimized code must survive the full GC between two scrapes: objects a
// scrape makes and drops (writers, pacers, a summary's reads, a slice's family) would
// take their hidden classes with them, and V8 throws away every optimized function that
// checked for one ("reason: weak objects"). Runs the built dist/ in a plain Node process
// (turbo builds core before its tests; `pnpm build` first when running this by hand).

const fixture = fileURLToPath(new URL('./fixtures/scrapes-after-gc.mjs', import.meta.url));
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

describe('scrapes after a full GC', () => {
  it('keep their optimized code: no function is deoptimized for objects that died', async () => {
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run pnpm build first`);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--trace-deopt', fixture, entry],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    expect(stdout).toContain('done');
    const dropped = stdout
      .split('\n')
      .filter((line) => line.includes('reason: weak objects'))
      .map((line) => /<SharedFunctionInfo ([^>]*)>/.exec(line)?.[1] ?? line);
    expect(dropped).toEqual([]);
  }, 60_000);
});
