// A request path must not be able to drive the path rules (exclusion RegExps,
// normalizePath rules or function) into catastrophic backtracking. Core runs user
// RegExps on at most MAX_MATCHED_PATH_LENGTH characters of the path, which bounds any
// polynomial pattern. Each case runs in a child process killed after a deadline: a hang
// detector, not a timing assertion. A control case shows the same pattern on the whole
// path does exceed the deadline, so passing cases are fast because of the cap.
// (An exponential pattern, `(a+)+$`, hangs on a few dozen characters: no cap can save
// it. SECURITY.md says so.)
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DEADLINE_MS = 2_000;

let dir: string;
let script: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promkit-redos-'));
  await build({
    entry: { 'hostile-path': join(import.meta.dirname, 'fixtures', 'hostile-path.ts') },
    outDir: dir,
    format: ['esm'],
    target: 'node20',
    noExternal: [/.*/],
    dts: false,
    sourcemap: false,
    silent: true,
    config: false,
  });
  script = join(dir, 'hostile-path.js');
});

afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

type Outcome = { done: true; result: unknown; ms: number } | { done: false };

/** Runs one case; resolves `{ done: false }` if it outlives the deadline (then kills it). */
function runCase(name: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [script, name], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      // The deadline starts once the script is loaded, not while node starts.
      if (timer === undefined && out.startsWith('ready\n')) {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          resolve({ done: false });
        }, DEADLINE_MS);
      }
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n')[1];
      if (code === 0 && line)
        resolve({ done: true, ...(JSON.parse(line) as { result: unknown; ms: number }) });
      else if (code !== null) reject(new Error(`case "${name}" exited ${code}: ${out}`));
    });
  });
}

describe('a 100 000-character hostile request path', () => {
  it('is labelled <unmatched> at once with the default options', async () => {
    expect(await runCase('defaults')).toMatchObject({ done: true, result: ['<unmatched>'] });
  });

  it('cannot make normalizePath rules backtrack for long', async () => {
    expect(await runCase('normalizePath rules')).toMatchObject({ done: true, result: ['/:id'] });
  });

  it('reaches a normalizePath function capped, so its RegExp stays fast too', async () => {
    expect(await runCase('normalizePath function')).toMatchObject({ done: true, result: ['/:id'] });
  });

  it('cannot make an exclusion RegExp backtrack for long', async () => {
    expect(await runCase('excludePaths RegExp')).toMatchObject({
      done: true,
      result: ['<unmatched>'],
    });
  });

  it('control: the same RegExp on the uncapped path outlives the deadline', async () => {
    expect(await runCase('control: the same RegExp without the cap')).toEqual({ done: false });
  });
});
