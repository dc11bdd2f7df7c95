import { type ChildProcess, spawn } from 'node:child_process';
import { signalGroup, trackChild } from './child-tracker';

const OUTPUT_TAIL_CHARS = 8192;
const STOP_GRACE_MS = 5000;

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A spawned service whose output is kept (the tail only) for error messages. */
export interface ServiceProcess {
  readonly name: string;
  readonly pid: number | undefined;
  readonly exited: Promise<ServiceExit>;
  hasExited(): boolean;
  /** The last few KiB of what the process printed on stdout and stderr. */
  outputTail(): string;
  /** Sends the signal and resolves once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<ServiceExit>;
  /** SIGTERM, then SIGKILL if the process is still running after 5 s. */
  stop(): Promise<ServiceExit>;
}

/**
 * Spawns `binary` without a shell, in a process group of its own, and signals the whole
 * group: a launcher (an npm bin shim that starts the real binary as its child, as Deno's
 * and workerd's do) must not leave that binary running. The group is killed when the test
 * process exits.
 */
export function spawnService(
  name: string,
  binary: string,
  args: readonly string[],
  cwd: string,
): ServiceProcess {
  const child: ChildProcess = spawn(binary, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  trackChild(child, { group: true });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail += chunk.toString('utf8');
    if (tail.length > OUTPUT_TAIL_CHARS * 2) tail = tail.slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let done: ServiceExit | undefined;
  const exited = new Promise<ServiceExit>((resolve) => {
    child.once('error', (error) => {
      keep(Buffer.from(`\nspawn failed: ${error.message}\n`));
      done ??= { code: null, signal: null };
      resolve(done);
    });
    child.once('exit', (code, signal) => {
      done = { code, signal };
      resolve(done);
    });
  });

  const kill = (signal: NodeJS.Signals): Promise<ServiceExit> => {
    signalGroup(child, signal);
    return exited;
  };

  return {
    name,
    pid: child.pid,
    exited,
    hasExited: () => done !== undefined,
    outputTail: () => tail.slice(-OUTPUT_TAIL_CHARS),
    kill,
    async stop() {
      if (done !== undefined) return done;
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      try {
        return await kill('SIGTERM');
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
