import { readdirSync, readFileSync } from 'node:fs';

/**
 * Readers of Linux `/proc/self`. Each returns undefined where `/proc` is absent (macOS,
 * Windows) or unreadable, so the metrics that need it are simply left out.
 * Reading `/proc` is synchronous on purpose: it is kernel memory and never blocks.
 */

export interface ProcMemory {
  readonly residentBytes: number;
  readonly virtualBytes: number;
  readonly dataBytes: number;
}

const IS_LINUX = process.platform === 'linux';

function readText(path: string): string | undefined {
  if (!IS_LINUX) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `VmRSS`, `VmSize` and `VmData` from `/proc/self/status`, in bytes. */
export function procMemory(): ProcMemory | undefined {
  const status = readText('/proc/self/status');
  if (status === undefined) return undefined;
  const kib = (field: string): number | undefined => {
    const match = new RegExp(`^${field}:\\s*(\\d+)\\s*kB`, 'm').exec(status);
    return match === null ? undefined : Number(match[1]) * 1024;
  };
  const residentBytes = kib('VmRSS');
  const virtualBytes = kib('VmSize');
  const dataBytes = kib('VmData');
  if (residentBytes === undefined || virtualBytes === undefined || dataBytes === undefined) {
    return undefined;
  }
  return { residentBytes, virtualBytes, dataBytes };
}

/** Open file descriptors of this process. */
export function openFds(): number | undefined {
  if (!IS_LINUX) return undefined;
  try {
    // Listing the directory opens one descriptor of its own, which is not counted.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

/** The soft limit on open files (`Max open files` in `/proc/self/limits`). */
export function maxFds(): number | undefined {
  const limits = readText('/proc/self/limits');
  if (limits === undefined) return undefined;
  const match = /^Max open files\s+(\S+)/m.exec(limits);
  if (match === null) return undefined;
  return match[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(match[1]);
}
