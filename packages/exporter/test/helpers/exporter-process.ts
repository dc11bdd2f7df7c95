import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
export const SAMPLE_BIN = join(PACKAGE_DIR, 'dist/sample/cli.js');
export const TEST_EXPORTER = join(PACKAGE_DIR, 'test/fixtures/test-exporter.mjs');

const DEADLINE_MS = 15_000;
const running = new Set<ChildProcess>();
const tmpDirs = new Set<string>();

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Default: the sample bin. */
  readonly script?: string;
  /** Added to a copy of process.env without any PROMKIT_SAMPLE_* / TEST_EXPORTER_* variable. */
  readonly env?: Readonly<Record<string, string>>;
  /** Default: a fresh empty directory (so no stray .env is read). */
  readonly cwd?: string;
}

export interface ExporterProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderrLines(): string[];
  /** Resolves with the first stderr line matching; rejects with the output so far after 15 s or on exit. */
  waitForLine(match: RegExp | ((line: string) => boolean)): Promise<string>;
  /** The `listening` URLs, once `count` of them were logged (plain or JSON logs). */
  listening(count?: number): Promise<string[]>;
  /** Sends the signal and resolves with the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
}

/** A fresh directory, removed by `cleanup()`. */
export function makeTmpDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'promkit-exporter-test-'));
  tmpDirs.add(dir);
  return dir;
}

function childEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('PROMKIT_SAMPLE_') && !key.startsWith('TEST_EXPORTER_')) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Starts the sample bin (or a fixture script) with `args`; killed by `cleanup()`. */
export function spawnExporter(
  args: readonly string[],
  options: SpawnOptions = {},
): ExporterProcess {
  const child = spawn(process.execPath, [options.script ?? SAMPLE_BIN, ...args], {
    cwd: options.cwd ?? makeTmpDir(),
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const wake of waiters) wake();
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
      for (const wake of waiters) wake();
    });
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const lines = (): string[] => stderr.split('\n').filter((line) => line !== '');

  const waitFor = <T>(find: () => T | undefined, what: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (found !== undefined) {
          finish();
          resolve(found);
        } else if (hasExited || child.exitCode !== null) {
          finish();
          reject(
            new Error(`exporter exited (${child.exitCode}) before ${what}; stderr:\n${stderr}`),
          );
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no ${what} within ${DEADLINE_MS} ms; stderr:\n${stderr}`));
      }, DEADLINE_MS);
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    child,
    exited,
    stdout: () => stdout,
    stderrLines: lines,
    waitForLine(match) {
      const test = typeof match === 'function' ? match : (line: string) => match.test(line);
      return waitFor(() => lines().find(test), `line matching ${String(match)}`);
    },
    listening(count = 1) {
      return waitFor(() => {
        const urls = lines().flatMap((line) => {
          const url = listeningUrl(line);
          return url === undefined ? [] : [url];
        });
        return urls.length >= count ? urls : undefined;
      }, `${count} listening line(s)`);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

function listeningUrl(line: string): string | undefined {
  if (line.startsWith('{')) {
    const record = JSON.parse(line) as { message?: string; url?: string };
    return record.message === 'listening' ? record.url : undefined;
  }
  return /^INFO listening url=(\S+)$/.exec(line)?.[1];
}

export interface Finished extends Exit {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command that is expected to end by itself (help, version, failures). */
export async function runToExit(
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<Finished> {
  const proc = spawnExporter(args, options);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), DEADLINE_MS);
  const exit = await proc.exited;
  clearTimeout(timer);
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderrLines().join('\n') };
}

/** Kills every exporter still running and removes the temp directories. */
export async function cleanup(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('close', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  tmpDirs.clear();
}

/** The JSON records of the JSON log lines. */
export function jsonRecords(lines: readonly string[]): Array<Record<string, unknown>> {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** The value of an unlabelled (or exactly labelled) sample in a text exposition. */
export function sampleValue(body: string, series: string): number | undefined {
  for (const line of body.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1).split(' ')[0]);
  }
  return undefined;
}
