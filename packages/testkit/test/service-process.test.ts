import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { spawnService } from '../src/service-process';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function startedChildPid(proc: ReturnType<typeof spawnService>): Promise<number> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const pid = Number(/(\d+)/.exec(proc.outputTail())?.[1]);
    if (pid > 0) return pid;
    if (Date.now() > deadline) throw new Error(`no pid printed: ${proc.outputTail()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('spawnService', () => {
  it('stops what a launcher started too (an npm bin shim that spawns the real binary)', async () => {
    // A launcher that starts its "binary" as a child and waits, as Deno's npm shim does.
    const proc = spawnService('launcher', 'sh', ['-c', 'sleep 300 & echo $!; wait'], tmpdir());
    const grandchild = await startedChildPid(proc);
    expect(alive(grandchild)).toBe(true);
    await proc.stop();
    const deadline = Date.now() + 5000;
    while (alive(grandchild) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(alive(grandchild)).toBe(false);
  });
});
