import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The dual-package hazard: an app importing the ESM build and a library requiring the CJS
// build must share one default registry. Runs the built dist/ in a plain Node process
// (turbo builds core before its tests; `pnpm build` first when running this by hand).

const fixture = fileURLToPath(new URL('./fixtures/dual-build-registry.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

interface Seen {
  distinctModules: boolean;
  sameRegistry: boolean;
  esmPage: string;
  cjsPage: string;
  copyPage: string;
  duplicateMessage: string | undefined;
  duplicateIsCjsClass: boolean;
  duplicateIsCopyBase: boolean;
}

async function run(): Promise<Seen> {
  for (const file of ['index.js', 'index.cjs']) {
    if (!existsSync(`${dist}${file}`)) {
      throw new Error(`${dist}${file} is missing: run pnpm build first`);
    }
  }
  const { stdout } = await promisify(execFile)(process.execPath, [fixture]);
  return JSON.parse(stdout) as Seen;
}

describe('one default registry per process', () => {
  it('is shared by the ESM build, the CJS build and a second copy of it', async () => {
    const seen = await run();
    expect(seen.distinctModules).toBe(true);
    expect(seen.sameRegistry).toBe(true);
    for (const page of [seen.esmPage, seen.cjsPage, seen.copyPage]) {
      expect(page).toContain('made_by_cjs_total 2\n');
      expect(page).toContain('made_by_esm 5\n');
      expect(page).toContain('made_by_copy_total 7\n');
    }
    expect(seen.esmPage).toBe(seen.cjsPage);
  });

  it('so a name taken through one build is a DuplicateMetricError through the other, recognised by both', async () => {
    const seen = await run();
    expect(seen.duplicateMessage).toMatch(/"made_by_cjs_total"/);
    expect(seen.duplicateIsCjsClass).toBe(true);
    expect(seen.duplicateIsCopyBase).toBe(true);
  });
});
