import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A throwaway npm project that installs third-party integrations with
 * `overrides: { "prom-client": <this package's packed tarball> }` — what a user's
 * one-line migration does — with promkit's packages packed from this workspace.
 */
export async function makeAliasProject(
  dependencies: Record<string, string>,
  manager: 'npm' | 'pnpm' = 'npm',
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'promkit-alias-'));
  const tarballs = join(dir, 'tarballs');
  for (const name of ['core', 'node', 'prom-client']) {
    await run('pnpm', ['pack', '--pack-destination', tarballs], { cwd: join(packages, name) });
  }
  const files = await readdir(tarballs);
  const tarball = (prefix: string): string => {
    const file = files.find((f) => f.startsWith(`promkit-${prefix}-`));
    if (file === undefined) throw new Error(`pnpm pack made no ${prefix} tarball in ${tarballs}`);
    return `file:${join(tarballs, file)}`;
  };
  const promClient = tarball('prom-client');
  const core = tarball('core');
  const node = tarball('node');
  const overrides = {
    'prom-client': promClient,
    // fastify-metrics 14 imports prom-client's API from its forks; the same line aliases them.
    '@prometheus-io/client': promClient,
    '@platformatic/prom-client': promClient,
    '@promkit/core': core,
    '@promkit/node': node,
  };
  const pkg =
    manager === 'npm'
      ? {
          name: 'promkit-alias-fixture',
          private: true,
          dependencies: { ...dependencies, '@promkit/core': core, '@promkit/node': node },
          overrides,
        }
      : {
          name: 'promkit-alias-fixture',
          private: true,
          // pnpm resolves a peer dependency (express-prom-bundle's prom-client) from the
          // project's own dependencies, so the alias is a direct dependency too.
          dependencies: {
            ...dependencies,
            'prom-client': promClient,
            '@promkit/core': core,
            '@promkit/node': node,
          },
          pnpm: { overrides },
        };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const install =
    manager === 'npm'
      ? ['npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']]
      : ['pnpm', ['install', '--prefer-offline', '--reporter=silent']];
  await run(install[0] as string, install[1] as string[], { cwd: dir, timeout: 240_000 });
  return dir;
}

export interface RunningApp {
  readonly info: { app: number; promkit: string; promClient: string };
  stop(): void;
}

/** Runs `source` as a CommonJS script in `dir`; it prints one JSON line once listening. */
export async function startApp(dir: string, file: string, source: string): Promise<RunningApp> {
  await writeFile(join(dir, file), source);
  const child: ChildProcess = spawn(process.execPath, [file], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const info = await new Promise<RunningApp['info']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start: ${stderr}`)), 30_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited with ${code}: ${stderr}`));
    });
  });
  return { info, stop: () => child.kill() };
}
