import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const children = new Set<ChildProcess>();
/** Children spawned as the leader of their own process group (`detached`). */
const leaders = new WeakSet<ChildProcess>();
const tmpDirs = new Set<string>();
// Vitest ends its fork workers with SIGTERM, which skips 'exit' listeners.
const FATAL_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
let hooked = false;

function killEverything(): void {
  for (const child of children) {
    signalGroup(child, 'SIGKILL');
  }
  children.clear();
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  tmpDirs.clear();
}

function onFatalSignal(signal: NodeJS.Signals): void {
  killEverything();
  process.removeListener(signal, onFatalSignal);
  // Nobody else handles it: die of the signal as if no listener had been installed.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killEverything);
  for (const signal of FATAL_SIGNALS) process.on(signal, onFatalSignal);
}

/**
 * Signals `child`, and its whole process group when it leads one: what it started (a
 * launcher's real binary) goes too, even after the leader itself has exited.
 */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  const running = child.exitCode === null && child.signalCode === null;
  if (leaders.has(child) && child.pid !== undefined) {
    try {
      process.kill(-child.pid, signal);
      return;
    } catch {
      // ESRCH: the group is gone.
    }
  }
  if (running) child.kill(signal);
}

/**
 * Kills the child (SIGKILL) when the test process exits or is signalled, unless it ended
 * before; with `group`, its process group too (see `signalGroup`).
 */
export function trackChild(child: ChildProcess, options: { group?: boolean } = {}): void {
  hookExit();
  children.add(child);
  if (options.group === true) {
    leaders.add(child);
    // Once the leader exited, what it left in its group is still killed at the end.
    return;
  }
  child.once('exit', () => children.delete(child));
}

/** Removes the directory when the test process exits, unless `untrackTmpDir` ran first. */
export function trackTmpDir(dir: string): void {
  hookExit();
  tmpDirs.add(dir);
}

export function untrackTmpDir(dir: string): void {
  tmpDirs.delete(dir);
}
