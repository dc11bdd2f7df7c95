/**
 * Server CPU time per request of one variant, in several fresh server processes: shows
 * whether a variant lands in a different steady state from one process to the next (the
 * CPU-time rounds of run.mjs reuse one process per variant, so such a state reads as a
 * whole run being fast or slow). `node http/process-states.mjs <framework> <variant>
 * [processes] [node flags…]`: per process, a 1 s warm-up and three 4 s runs, started,
 * pinned and measured as run.mjs does. With `--cpu-prof` among the flags, each process'
 * profile is kept in `/tmp/promkit-process-states/<framework>-<variant>/`.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { cpuPinning, measureRun, pinSelf, startServer } from './run.mjs';

const [framework, variant, countArg = '8', ...flags] = process.argv.slice(2);
if (framework === undefined || variant === undefined) {
  throw new Error('usage: process-states.mjs <framework> <variant> [processes] [node flags…]');
}
const profiles = path.join('/tmp/promkit-process-states', `${framework}-${variant}`);
if (flags.includes('--cpu-prof')) mkdirSync(profiles, { recursive: true });
const pinning = cpuPinning();
if (pinning !== undefined) pinSelf(pinning.load);

for (let i = 0; i < Number(countArg); i++) {
  const nodeFlags = [
    ...flags,
    ...(flags.includes('--cpu-prof')
      ? [`--cpu-prof-dir=${profiles}`, `--cpu-prof-name=process-${i}.cpuprofile`]
      : []),
  ];
  const server = await startServer(framework, variant, pinning, nodeFlags);
  if (server.skip !== undefined) throw new Error(`${framework}-${variant}: ${server.skip}`);
  try {
    await measureRun(server, { seconds: 1 });
    const perRequest = [];
    for (let r = 0; r < 3; r++)
      perRequest.push((await measureRun(server, { seconds: 4 })).usPerRequest);
    console.log(
      `${framework}-${variant} process ${i}: ${perRequest.map((v) => v.toFixed(1)).join(' / ')} µs/req`,
    );
  } finally {
    await server.stop();
  }
}
