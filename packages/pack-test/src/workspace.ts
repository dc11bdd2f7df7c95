import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface WorkspacePackage {
  /** Directory relative to the repository root, e.g. `packages/core`. */
  dir: string;
  manifest: Manifest;
}

function packagesUnder(parent: string): WorkspacePackage[] {
  const abs = join(ROOT, parent);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(abs, entry.name, 'package.json')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      dir: `${parent}/${name}`,
      manifest: JSON.parse(readFileSync(join(abs, name, 'package.json'), 'utf8')) as Manifest,
    }));
}

/** Every package under packages/ that is published (not private). */
export function publishedPackages(): WorkspacePackage[] {
  return packagesUnder('packages').filter((pkg) => pkg.manifest.private !== true);
}

/** The READMEs whose code blocks are doctests: root, published packages, examples. */
export function doctestReadmes(): string[] {
  const readmes = ['README.md'];
  for (const pkg of [...publishedPackages(), ...packagesUnder('examples')]) {
    if (existsSync(join(ROOT, pkg.dir, 'README.md'))) readmes.push(`${pkg.dir}/README.md`);
  }
  return readmes;
}

/**
 * The version range the workspace itself uses for a third-party package (a dev
 * dependency of some package or example, else a peer range), so README blocks are
 * run against what the tests run against.
 */
export function workspaceRange(name: string): string | undefined {
  const root: WorkspacePackage = {
    dir: '.',
    manifest: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest,
  };
  const all = [root, ...packagesUnder('packages'), ...packagesUnder('examples')];
  for (const field of ['devDependencies', 'dependencies', 'peerDependencies'] as const) {
    for (const pkg of all) {
      const range = pkg.manifest[field]?.[name];
      if (range !== undefined && !range.startsWith('workspace:') && !range.startsWith('npm:')) {
        return range;
      }
    }
  }
  return undefined;
}
