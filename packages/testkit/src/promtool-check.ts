import { spawn } from 'node:child_process';
import { trackChild } from './child-tracker';
import { requireBinary } from './require-binary';

export interface PromtoolResult {
  /** 0 clean, 1 parse error, 3 lint findings. */
  code: number;
  /** stdout and stderr together. */
  output: string;
}

/**
 * Runs `promtool check metrics` with `text` on stdin.
 *
 * @example
 * const { code, output } = await promtoolCheck('# TYPE x gauge\nx 1\n');
 */
export function promtoolCheck(text: string): Promise<PromtoolResult> {
  const promtool = requireBinary('promtool');
  return new Promise((resolve, reject) => {
    const child = spawn(promtool, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    trackChild(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    // promtool may exit before reading all of stdin on a parse error: EPIPE is expected then.
    child.stdin.on('error', () => {});
    child.once('error', reject);
    child.once('close', (code, signal) => {
      resolve({ code: code ?? (signal === null ? -1 : 128), output });
    });
    child.stdin.end(text);
  });
}
