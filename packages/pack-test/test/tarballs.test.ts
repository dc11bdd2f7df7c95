import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { type Manifest, ROOT } from '../src/workspace';

// What npm would publish, read from the tarballs `pnpm pack` wrote.
const consumer = inject('consumer');
const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

function tarList(file: string): string[] {
  return execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^package\//, ''));
}

function tarRead(file: string, path: string): string {
  return execFileSync('tar', ['-xzOf', file, `package/${path}`], { encoding: 'utf8' });
}

/** Every file path a manifest points at: main, module, types, bin, exports targets. */
function entryPoints(manifest: Manifest): string[] {
  const paths: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') paths.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit([manifest.main, manifest.module, manifest.types, manifest.bin, manifest.exports]);
  return paths.map((path) => path.replace(/^\.\//, ''));
}

const versions = new Set(
  consumer.tarballs.map(
    ({ file }) => (JSON.parse(tarRead(file, 'package.json')) as Manifest).version,
  ),
);

it('every published package has the same version (one changesets fixed group)', () => {
  expect([...versions]).toHaveLength(1);
});

for (const tarball of consumer.tarballs) {
  describe(tarball.name, () => {
    const files = tarList(tarball.file);
    const manifest = JSON.parse(tarRead(tarball.file, 'package.json')) as Manifest;

    it('ships LICENSE (the root MIT license), README.md and CHANGELOG.md', () => {
      expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'CHANGELOG.md']));
      expect(tarRead(tarball.file, 'LICENSE')).toBe(rootLicense);
      expect(manifest.license).toBe('MIT');
    });

    it('ships built code and declarations only: no source maps, sources or tests', () => {
      expect(files.filter((f) => /\.map$|^src\/|^test\/|tsconfig|\.test\./.test(f))).toEqual([]);
    });

    it('ships every file its manifest points at', () => {
      const missing = entryPoints(manifest).filter((path) => !files.includes(path));
      expect(missing).toEqual([]);
    });

    it('names its repository, homepage and issue tracker', () => {
      expect(manifest.repository).toEqual({
        type: 'git',
        url: 'git+https://github.com/promkit/promkit.git',
        directory: tarball.dir,
      });
      expect(manifest.homepage).toBe(
        `https://github.com/promkit/promkit/tree/main/${tarball.dir}#readme`,
      );
      expect(manifest.bugs).toEqual({ url: 'https://github.com/promkit/promkit/issues' });
    });

    it('depends on the other @promkit packages at the released version', () => {
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies'] as const) {
        const deps = (manifest[field] ?? {}) as Record<string, string>;
        for (const [name, range] of Object.entries(deps)) {
          expect(range, `${field}.${name}`).not.toMatch(/^workspace:/);
          if (name.startsWith('@promkit/')) expect(range).toBe(`^${manifest.version}`);
        }
      }
    });

    it('README links are absolute: they work on npm, outside the repository', () => {
      const readme = tarRead(tarball.file, 'README.md');
      const targets = [...readme.matchAll(/\]\(([^)\s]+)[^)]*\)/g)].map((m) => m[1] ?? '');
      expect(targets.filter((target) => !/^(https?:|mailto:|#)/.test(target))).toEqual([]);
    });
  });
}
