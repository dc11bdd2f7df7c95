import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Doctest, parseReadme } from './readme-blocks';
import { doctestReadmes, publishedPackages, ROOT, workspaceRange } from './workspace';

export interface Tarball {
  name: string;
  dir: string;
  file: string;
  /** What a user can import: the package name and each subpath of its `exports`. */
  entryPoints: string[];
  /** Names of the executables it installs. */
  bins: string[];
}

export interface ConsumerProject {
  /** A fresh directory outside the workspace with every tarball installed by npm. */
  dir: string;
  tarballs: Tarball[];
}

/** Tools the consumer project needs besides what README blocks import. */
const TOOLS = ['typescript', 'tsx', '@types/node'];

/** `pnpm pack` of every published package (their dist must be built). */
export function packAll(destination: string): Tarball[] {
  mkdirSync(destination, { recursive: true });
  return publishedPackages().map(({ dir, manifest }) => {
    const abs = join(ROOT, dir);
    if (!existsSync(join(abs, 'dist'))) {
      throw new Error(`${dir}/dist is missing: run \`pnpm build\` before the pack test`);
    }
    const before = new Set(readdirSync(destination));
    execFileSync('pnpm', ['pack', '--pack-destination', destination], {
      cwd: abs,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const file = readdirSync(destination).find((name) => !before.has(name));
    if (file === undefined) throw new Error(`pnpm pack wrote no tarball for ${manifest.name}`);
    const subpaths = Object.keys((manifest.exports ?? { '.': '' }) as Record<string, unknown>);
    const entryPoints = subpaths
      .filter((subpath) => !subpath.endsWith('.json'))
      .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));
    const bins =
      typeof manifest.bin === 'string'
        ? [manifest.name.replace(/^@[^/]+\//, '')]
        : Object.keys((manifest.bin ?? {}) as Record<string, string>);
    return { name: manifest.name, dir, file: join(destination, file), entryPoints, bins };
  });
}

/** Third-party packages every README block imports, at the workspace's version ranges. */
export function thirdPartyDependencies(doctests: readonly Doctest[]): Record<string, string> {
  const wanted = new Set(TOOLS);
  for (const doctest of doctests) {
    for (const name of doctest.imports) {
      if (name.startsWith('@promkit/')) continue;
      wanted.add(name);
      wanted.add(`@types/${name.replace(/^@([^/]+)\//, '$1__')}`);
    }
  }
  const dependencies: Record<string, string> = {};
  for (const name of [...wanted].sort()) {
    const range = workspaceRange(name);
    if (range !== undefined) dependencies[name] = range;
    else if (!name.startsWith('@types/')) {
      throw new Error(
        `a README block imports ${name}, which no workspace package depends on: add it (as a dev dependency of the package whose README uses it) so its version is pinned`,
      );
    }
  }
  return dependencies;
}

export function allDoctests(): Doctest[] {
  return doctestReadmes().flatMap(
    (readme) => parseReadme(readme, readFileSync(join(ROOT, readme), 'utf8')).doctests,
  );
}

/** Packs everything and installs it with npm into a new temp project (one install). */
export function createConsumerProject(): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), 'promkit-pack-'));
  const tarballs = packAll(join(dir, 'tarballs'));
  const project = join(dir, 'project');
  mkdirSync(project);
  const dependencies: Record<string, string> = thirdPartyDependencies(allDoctests());
  for (const tarball of tarballs) dependencies[tarball.name] = `file:${tarball.file}`;
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'promkit-consumer', private: true, type: 'module', dependencies }, null, 2)}\n`,
  );
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'],
    { cwd: project, stdio: ['ignore', 'ignore', 'pipe'], env: cleanEnv() },
  );
  return { dir: project, tarballs };
}

/** The environment of a fresh shell: nothing of vitest's or pnpm's. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TERM']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}
