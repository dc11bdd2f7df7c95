/**
 * Server CPU time per request of one variant, in several fresh server processes: shows
 * whether a variant lands in a different steady state from one process to the next (the
 * CPU-time rounds of run.mjs reuse one process per variant, so such a state reads as a
 * whole run being fast or slow). `node http/process-states.mjs <framework> <variant>
 * [processes] [node flags…]`: per process, a 1 s warm-up and three 4 s autocannon runs
 * (50 connections), the server pinned to the last CPU and this process to the others as
 * run.mjs does. With `--cpu-prof` among the flags, each process' profile is kept in
 * `/tmp/promkit-process-states/<framework>-<variant>/`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { HELLO_PATH, HOST } from './hello.mjs';
import { cpuPinning, pinSelf, processCpuMs } from './run.mjs';

const [framework, variant, countArg = '8', ...flags] = process.argv.slice(2);
if (framework === undefined || variant === undefined) {
  throw new Error('usage: process-states.mjs <framework> <variant> [processes] [node flags…]');
}
const script = fileURLToPath(new URL(`./${framework}-${variant}.mjs`, import.meta.url));
const profiles = path.join('/tmp/promkit-process-states', `${framework}-${variant}`);
if (flags.includes('--cpu-prof')) mkdirSync(profiles, { recursive: true });
const pinning = cpuPinning();
if (pinning !== undefined) pinSelf(pinning.load);

for (let i = 0; i < Number(countArg); i++) {
  const nodeArgs = [
    ...flags,
    ...(flags.includes('--cpu-prof')
      ? [`--cpu-prof-dir=${profiles}`, `--cpu-prof-name=process-${i}.cpuprofile`]
      : []),
    script,
  ];
  const child =
    pinning === undefined
      ? spawn(process.execPath, nodeArgs, { stdio: ['pipe', 'pipe', 'inherit'] })
      : spawn('taskset', ['-c', pinning.server, process.execPath, ...nodeArgs], {
          stdio: ['pipe', 'pipe', 'inherit'],
        });
  let out = '';
  const port = await new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = /"port":(\d+)/.exec(out);
      if (m !== null) resolve(Number(m[1]));
    });
  });
  const url = `http://${HOST}:${port}${HELLO_PATH}`;
  await autocannon({ url, connections: 50, duration: 1 });
  const perRequest = [];
  for (let r = 0; r < 3; r++) {
    const before = processCpuMs(child.pid);
    const result = await autocannon({ url, connections: 50, duration: 4 });
    perRequest.push(((processCpuMs(child.pid) - before) * 1000) / result['2xx']);
  }
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  console.log(
    `${framework}-${variant} process ${i}: ${perRequest.map((v) => v.toFixed(1)).join(' / ')} µs/req`,
  );
}
