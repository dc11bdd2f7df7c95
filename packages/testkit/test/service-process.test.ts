import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { eventually } from '../src/polling';
import { spawnService } from '../src/service-process';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('spawnService', () => {
  it('stops what a launcher started too (an npm bin shim that spawns the real binary)', async () => {
    // A launcher that starts its "binary" as a child and waits, as Deno's npm shim does.
    const proc = spawnService('launcher', 'sh', ['-c', 'sleep 300 & echo $!; wait'], tmpdir());
    let grandchild = 0;
    await eventually(async () => {
      grandchild = Number(/(\d+)/.exec(proc.outputTail())?.[1]);
      expect(grandchild, `no pid printed: ${proc.outputTail()}`).toBeGreaterThan(0);
    });
    expect(alive(grandchild)).toBe(true);
    await proc.stop();
    await eventually(async () => {
      expect(alive(grandchild)).toBe(false);
    });
  });
});
