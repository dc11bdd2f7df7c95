import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('../fixtures/worker.ts', import.meta.url));
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface WorkerOptions {
  redis: string;
  prefix: string;
  processId: string;
  flushIntervalMs?: number;
  gaugeTtlSeconds?: number;
  liveTimeoutSeconds?: number;
  gaugeModes?: Record<string, string>;
}

/** A real child process running test/fixtures/worker.ts (through tsx), driven over IPC. */
export interface Worker {
  readonly pid: number;
  call<T = unknown>(op: string, args?: Record<string, unknown>): Promise<T>;
  /** Sends the signal and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Resolves once the process exited on its own. */
  exited(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const child = fork(WORKER, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  live.add(child);
  const gone = new Promise<void>((resolve) =>
    child.once('exit', () => {
      live.delete(child);
      resolve();
    }),
  );
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    gone.then(() => reject(new Error(`worker ${options.processId} exited before it was ready`)));
    child.on('message', (raw) => {
      const message = raw as { id: number; ok: boolean; result?: unknown; error?: string };
      if (message.id === 0) return resolve();
      const entry = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) entry?.resolve(message.result);
      else entry?.reject(new Error(`worker ${options.processId}: ${message.error}`));
    });
  });
  gone.then(() => {
    for (const entry of waiting.values())
      entry.reject(new Error(`worker ${options.processId} exited`));
    waiting.clear();
  });
  await ready;
  return {
    pid: child.pid!,
    call<T>(op: string, args: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, op, ...args });
      });
    },
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await gone;
    },
    exited: () => gone,
  };
}
