import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trackTmpDir, untrackTmpDir } from './child-tracker';

/** A fresh directory under the OS temp dir, removed at process exit if not before. */
export async function makeTmpDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `promkit-${prefix}-`));
  trackTmpDir(dir);
  return dir;
}

export async function removeTmpDir(dir: string): Promise<void> {
  untrackTmpDir(dir);
  await rm(dir, { recursive: true, force: true });
}
