// Starts the matrix app under each runtime's own server, from the binaries pinned in this
// package's devDependencies. A runtime that cannot start fails the test with its output.
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  freePort,
  httpOk,
  makeTmpDir,
  removeTmpDir,
  type ServiceProcess,
  spawnService,
  waitReady,
} from '@promkit/testkit';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

/** A compatibility date after 2026-08-04: Node compatibility (a global Buffer) is on. */
export const CURRENT_COMPAT_DATE = '2026-11-17';
/** Before Node compatibility existed: no Buffer, no node: modules. */
export const OLD_COMPAT_DATE = '2023-03-01';

export interface RunningApp {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

async function listeningPort(proc: ServiceProcess): Promise<number> {
  let port = 0;
  await waitReady(proc, async () => {
    const match = /LISTENING (\d+)/.exec(proc.outputTail());
    if (match !== null) port = Number(match[1]);
    return port > 0;
  });
  return port;
}

export async function startBun(): Promise<RunningApp> {
  const proc = spawnService('bun', bin('bun'), ['fixtures/bun.ts'], root);
  const port = await listeningPort(proc);
  return { baseUrl: `http://127.0.0.1:${port}`, stop: async () => void (await proc.stop()) };
}

export async function startDeno(): Promise<RunningApp> {
  const proc = spawnService(
    'deno',
    bin('deno'),
    ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'fixtures/deno.ts'],
    root,
  );
  const port = await listeningPort(proc);
  return { baseUrl: `http://127.0.0.1:${port}`, stop: async () => void (await proc.stop()) };
}

export interface Workerd {
  readonly current: RunningApp;
  readonly old: RunningApp;
  stop(): Promise<void>;
}

/**
 * One workerd process serving the bundled worker twice: on one socket with a current
 * compatibility date, on another with an old one.
 */
export async function startWorkerd(): Promise<Workerd> {
  const dir = await makeTmpDir('workerd');
  await build({
    entryPoints: [join(root, 'fixtures', 'worker.ts')],
    outfile: join(dir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    logLevel: 'error',
  });
  const [currentPort, oldPort] = [await freePort(), await freePort()];
  const worker = (date: string): string =>
    `(modules = [(name = "worker", esModule = embed "worker.js")], compatibilityDate = "${date}")`;
  await writeFile(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "current", worker = ${worker(CURRENT_COMPAT_DATE)}),
    (name = "old", worker = ${worker(OLD_COMPAT_DATE)}),
    (name = "internet", network = (allow = ["local", "private"])),
  ],
  sockets = [
    (name = "current", address = "127.0.0.1:${currentPort}", http = (), service = "current"),
    (name = "old", address = "127.0.0.1:${oldPort}", http = (), service = "old"),
  ],
);
`,
  );
  const proc = spawnService('workerd', bin('workerd'), ['serve', 'config.capnp'], dir);
  const current = `http://127.0.0.1:${currentPort}`;
  const old = `http://127.0.0.1:${oldPort}`;
  try {
    await waitReady(
      proc,
      async () => (await httpOk(`${current}/__samples`)) && httpOk(`${old}/__samples`),
    );
  } catch (error) {
    await removeTmpDir(dir);
    throw error;
  }
  const noop = async (): Promise<void> => {};
  return {
    current: { baseUrl: current, stop: noop },
    old: { baseUrl: old, stop: noop },
    async stop() {
      await proc.stop();
      await removeTmpDir(dir);
    },
  };
}
