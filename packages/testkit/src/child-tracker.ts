import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

const children = new Set<ChildProcess>();
const tmpDirs = new Set<string>();
// Vitest ends its fork workers with SIGTERM, which skips 'exit' listeners.
const FATAL_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
let hooked = false;

function killEverything(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
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

/** Kills the child (SIGKILL) when the test process exits or is signalled, unless it ended before. */
export function trackChild(child: ChildProcess): void {
  hookExit();
  children.add(child);
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
