import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cleanEnv } from './consumer-project';

export interface Served {
  url: string;
  /** HTTP status of `GET <url>`, or the error text when the request failed. */
  status: number | string;
}

export interface BlockRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Servers the block started, each asked for `/metrics` once. */
  served: Served[];
  /** Whether it exited within 10 s of SIGTERM (undefined: it never listened, so never got one). */
  stoppedAfterSigterm?: 'exited' | 'still running';
  timedOut: boolean;
  output: string;
}

export interface RunOptions {
  /** Directory holding the block's files (inside the consumer project). */
  dir: string;
  entry: string;
  typescript: boolean;
  env?: Record<string, string>;
  /** How long a block may run before it must have exited or started listening. */
  timeoutMs?: number;
}

const HOOK = pathToFileURL(join(import.meta.dirname, 'listen-hook.mjs')).href;

/**
 * Runs one block as a program of its own. A block that exits is done; a block that starts
 * servers is asked for `/metrics` on each, then sent SIGTERM, and must exit in 10 s.
 */
export async function runBlock(options: RunOptions): Promise<BlockRun> {
  const report = join(options.dir, '.listening.jsonl');
  rmSync(report, { force: true });
  const args = [...(options.typescript ? ['--import', 'tsx'] : []), '--import', HOOK];
  const child = spawn(process.execPath, [...args, options.entry], {
    cwd: options.dir,
    env: cleanEnv({ ...options.env, PROMKIT_DOCTEST_LISTEN_REPORT: report }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so cluster workers are cleaned up with it
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const run: BlockRun = { exitCode: null, signal: null, served: [], timedOut: false, output: '' };
  try {
    const started = await Promise.race([
      exited.then(() => 'exited' as const),
      waitForListening(report, exited).then(() => 'listening' as const),
      sleep(options.timeoutMs ?? 30_000).then(() => 'timeout' as const),
    ]);
    if (started === 'timeout') run.timedOut = true;
    if (started === 'listening') {
      const asked = new Set<string>();
      for (let fresh = listening(report); fresh.length > 0; ) {
        for (const url of fresh) {
          asked.add(url);
          run.served.push({ url, status: await get(url) });
        }
        fresh = listening(report).filter((url) => !asked.has(url));
      }
      child.kill('SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => 'exited' as const),
        sleep(10_000).then(() => 'still running' as const),
      ]);
      run.stoppedAfterSigterm = stopped;
    }
  } finally {
    killGroup(child);
    await exited;
  }
  run.exitCode = child.exitCode;
  run.signal = child.signalCode;
  run.output = output;
  return run;
}

async function waitForListening(report: string, exited: Promise<void>): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  while (!done && listening(report).length === 0) await sleep(50);
  if (done) await new Promise(() => {}); // the exit branch of the race wins
}

function listening(report: string): string[] {
  if (!existsSync(report)) return [];
  const urls = new Set<string>();
  for (const line of readFileSync(report, 'utf8').split('\n')) {
    if (line === '') continue;
    const { address, port } = JSON.parse(line) as { address: string; port: number };
    const host =
      address === '0.0.0.0' || address === '::'
        ? '127.0.0.1'
        : address.includes(':')
          ? `[${address}]`
          : address;
    urls.add(`http://${host}:${port}/metrics`);
  }
  return [...urls];
}

async function get(url: string): Promise<number | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return error instanceof Error
      ? `${error.message} (${String(error.cause ?? '')})`
      : String(error);
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
