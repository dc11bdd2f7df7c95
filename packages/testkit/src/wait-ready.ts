import { ServiceStartError } from './errors';
import type { ServiceProcess } from './service-process';

const POLL_MS = 50;
const READY_TIMEOUT_MS = 20_000;

function describeFailure(proc: ServiceProcess, reason: string): string {
  const output = proc.outputTail().trimEnd();
  return `${proc.name} ${reason}.${output === '' ? ' It printed nothing.' : `\nLast output:\n${output}`}`;
}

/**
 * Polls `isReady` until it answers true; rejects with the process output when the process
 * exits first or the deadline passes.
 */
export async function waitReady(
  proc: ServiceProcess,
  isReady: () => Promise<boolean>,
  timeoutMs = READY_TIMEOUT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.hasExited()) {
      const { code, signal } = await proc.exited;
      throw new ServiceStartError(
        describeFailure(proc, `exited while starting (code ${code}, signal ${signal})`),
      );
    }
    if (await isReady().catch(() => false)) return;
    if (Date.now() > deadline) {
      await proc.stop();
      throw new ServiceStartError(describeFailure(proc, `was not ready after ${timeoutMs} ms`));
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** True when `GET url` answers 200. */
export async function httpOk(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
  await response.arrayBuffer();
  return response.status === 200;
}
