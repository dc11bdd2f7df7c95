import { spawnSync } from 'node:child_process';

/**
 * Each function's instructions in one callgrind dump, as `callgrind_annotate` lists them
 * (every function: `--threshold=100`): `[{ ir, name }]`, `name` as printed (file:function
 * and the object in brackets). `inclusive`: with what each function calls.
 */
export function callgrindCosts(file, { inclusive }) {
  const res = spawnSync(
    'callgrind_annotate',
    ['--auto=no', `--inclusive=${inclusive ? 'yes' : 'no'}`, '--threshold=100', file],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (res.status !== 0) throw new Error(`callgrind_annotate ${file}: ${res.stderr}`);
  const costs = [];
  for (const line of res.stdout.split('\n')) {
    const m = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (m !== null) costs.push({ ir: Number(m[1].replaceAll(',', '')), name: m[2] });
  }
  return costs;
}
