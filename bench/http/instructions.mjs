import { spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../src/stats.mjs';
import { callgrindCosts } from './callgrind-costs.mjs';
import { HELLO_BODY, HELLO_PATH, HOST } from './hello.mjs';
import {
  ESTABLISHED,
  FRAMEWORKS,
  MAX_ADDED_PCT,
  MAX_OF_ESTABLISHED,
  metricsAccept,
  RECORDING,
  recordedProblem,
  VARIANTS,
} from './run.mjs';

/**
 * Instructions per request, counted by valgrind (callgrind) in the server process only.
 * The load comes from this unmeasured process: one keep-alive connection, one request at a
 * time, so every request is one socket read and one write in the server however busy the
 * machine is. W warm-up requests run uninstrumented; then, before each window, a full GC
 * and R uncounted requests, then a minor GC, then M counted requests. Boundaries are marked
 * by signals (server-kit calls os.getPriority(); callgrind runs with
 * --dump-before=uv_os_getpriority), so each window is one dump. Why each step: the
 * "HTTP cost per request: method" section of bench/README.md.
 *
 * `node http/instructions.mjs [--windows 5] [--warmup 20000] [--rewarm 2000] [--window N]
 *  [--frameworks express,koa] [--variants bare,promkit] [--concurrency 1] [--json]`
 *
 * Fastify also has `traced` and `traced-promkit` (`--frameworks fastify --variants
 * bare,promkit,traced,traced-promkit`): every request inside a sampled OpenTelemetry span
 * (http/tracing.mjs), so promkit records trace exemplars; the line then gives promkit's
 * work over `traced` and how much more that is than over `bare`.
 *
 * `--concurrency N` keeps N requests in flight on N keep-alive sockets (autocannon's regime,
 * where one event-loop turn can read several requests); the count then depends on how the
 * requests interleave, so it is no longer the same from run to run. Default 1.
 */

const READY_TIMEOUT_MS = 1_200_000;
/** Uncounted requests before the first window: enough for V8 to finish tiering up. */
const WARMUP = 20_000;
/** Requests after each window's full GC that are not counted: V8 re-optimises meanwhile. */
const REWARM = 2000;
/**
 * Work that is not per-request and must not land in a window: V8 compiling or deoptimising
 * (warm-up not finished) and major GC. Each is found in a window's dump by the inclusive
 * cost of its entry points (the largest match per kind, so nested frames are not summed).
 */
const NOISE = {
  compile: /Runtime_CompileOptimized|Runtime_CompileLazy\(|BaselineBatchCompiler::CompileBatch/,
  deopt: /Builtins_DeoptimizationEntry|Deoptimizer::ComputeOutputFrames/,
  majorGc:
    /MarkCompactCollector::CollectGarbage|IncrementalMarking::(Step|AdvanceOnAllocation|Start)\b/,
};
/**
 * Scavenges are per-request work (what requests allocate), so they stay in the count; one
 * that costs more than `SCAVENGE_WARN_PCT` of its window is reported, since a window with
 * one costs far more than a window without (a traced Fastify server: one scavenge of 13–15 M
 * instructions, 26 % of a window, where its untraced twin's are ~1 M).
 */
const SCAVENGE = /ScavengerCollector::CollectGarbage\(\)/;
const SCAVENGE_WARN_PCT = 10;
const MARK_FUNCTION = 'uv_os_getpriority';
/** Requests per window. Express: a major GC lands in every 2 000 (500 hold one or none). */
const WINDOW = 500;
const WINDOW_BY_FRAMEWORK = { express: 2000 };
const windowFor = (framework) => WINDOW_BY_FRAMEWORK[framework] ?? WINDOW;

/** Why valgrind cannot be run here, or undefined. The bench installs nothing itself. */
export function valgrindMissing() {
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (probe.error === undefined && probe.status === 0) return undefined;
  return 'valgrind is not installed: run `sudo apt-get install -y valgrind` (Debian/Ubuntu) and retry';
}

/** Starts one server under callgrind; resolves { port, mark, finish }. */
function startMeasured(framework, variant, outDir, nodeFlags) {
  const script = fileURLToPath(new URL(`./${framework}-${variant}.mjs`, import.meta.url));
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      // Start-up and warm-up run uninstrumented (several times faster); the harness turns
      // counting on with callgrind_control just before the first mark.
      '--instr-atstart=no',
      `--dump-before=${MARK_FUNCTION}`,
      `--callgrind-out-file=${path.join(outDir, 'cg.out')}`,
      process.execPath,
      // One thread does all of V8's work (no concurrent compilation or marking), so JIT
      // and GC work land in the same window on every run.
      '--predictable',
      // A fixed new-space size and heap growth (no memory reducer, no growth decided from
      // measured GC speed, which depends on wall time).
      '--predictable-gc-schedule',
      // server-kit runs a minor GC at every mark, so every window starts with an empty new
      // space and holds the same number of scavenges.
      '--expose-gc',
      ...nodeFlags,
      script,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const lines = [];
  // Anything else the server prints (--trace-gc, --trace-opt) is kept with its window.
  const trace = [];
  let windowIndex = 0;
  let waiting;
  let buffered = '';
  child.stdout.on('data', (d) => {
    buffered += d;
    let nl = buffered.indexOf('\n');
    while (nl !== -1) {
      const line = buffered.slice(0, nl);
      if (line === 'marked' || line.startsWith('{')) lines.push(line);
      else trace.push({ window: windowIndex, line });
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
    if (lines.length > 0 && waiting !== undefined) waiting();
  });
  const nextLine = () =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${framework}-${variant}: no answer under valgrind\n${stderr}`));
      }, READY_TIMEOUT_MS);
      const take = () => {
        clearTimeout(timer);
        waiting = undefined;
        resolve(lines.shift());
      };
      if (lines.length > 0) take();
      else waiting = take;
      exited.then((code) =>
        reject(new Error(`${framework}-${variant} exited with ${code}\n${stderr}`)),
      );
    });
  return nextLine().then((line) => {
    const message = JSON.parse(line);
    if (message.skip !== undefined) throw new Error(`${framework}-${variant}: ${message.skip}`);
    return {
      port: message.port,
      trace,
      pid: child.pid,
      /**
       * What the server says after a request to it failed: whether it exited (waited for up
       * to 2 s) and everything it wrote to stderr, so a crash is not reported as a bare
       * ECONNRESET.
       */
      async state() {
        const code = await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
        const status = code === undefined ? 'still running' : `exited with ${code}`;
        return `${framework}-${variant} ${status}${stderr === '' ? '' : `; its stderr:\n${stderr}`}`;
      },
      /** Turns callgrind's instrumentation on or off (callgrind_control, through vgdb). */
      instrument(on) {
        const res = spawnSync('callgrind_control', ['-i', on ? 'on' : 'off', String(child.pid)], {
          encoding: 'utf8',
        });
        if (res.status !== 0 || !res.stdout.includes('OK')) {
          throw new Error(
            `${framework}-${variant}: callgrind_control failed\n${res.stdout}${res.stderr}`,
          );
        }
      },
      /** A window boundary; `full` also runs a full GC (SIGHUP) instead of a minor one. */
      async mark(full = false) {
        child.kill(full ? 'SIGHUP' : 'SIGUSR2');
        const answer = await nextLine();
        if (answer !== 'marked') throw new Error(`${framework}-${variant}: answered ${answer}`);
        windowIndex++;
      },
      /** Closes stdin (server-kit exits) and returns Ir of each numbered dump, in order. */
      async finish() {
        child.stdin.end();
        const code = await exited;
        if (code !== 0) throw new Error(`${framework}-${variant}: exit ${code}\n${stderr}`);
        return readdirSync(outDir)
          .filter((f) => /^cg\.out\.\d+$/.test(f))
          .sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]))
          .map((f) => {
            const file = path.join(outDir, f);
            const match = /^summary:\s+(\d+)/m.exec(readFileSync(file, 'utf8'));
            if (match === null) throw new Error(`${f}: no summary line`);
            return { file, ir: Number(match[1]) };
          });
      },
    };
  });
}

/** Inclusive Ir of each NOISE kind in one callgrind dump (callgrind_annotate). */
function noiseOf(file) {
  const noise = Object.fromEntries(Object.keys(NOISE).map((k) => [k, 0]));
  let scavenge = 0;
  for (const { ir, name } of callgrindCosts(file, { inclusive: true })) {
    for (const [kind, re] of Object.entries(NOISE)) {
      if (re.test(name)) noise[kind] = Math.max(noise[kind], ir);
    }
    if (SCAVENGE.test(name)) scavenge = Math.max(scavenge, ir);
  }
  return { noise, scavenge };
}

/** GET on the single keep-alive connection; resolves status and body. */
function get(agent, port, urlPath, accept) {
  return new Promise((resolve, reject) => {
    const headers = accept === undefined ? {} : { accept };
    const req = http.get({ host: HOST, port, path: urlPath, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    req.on('error', reject);
  });
}

/**
 * `count` GETs of the hello route, `concurrency` in flight at once (one per keep-alive
 * socket of `agent`), every answer checked.
 */
async function hello(agent, port, count, name, concurrency = 1) {
  let left = count;
  const one = async () => {
    while (left > 0) {
      left--;
      const res = await get(agent, port, HELLO_PATH);
      if (res.status !== 200 || res.body !== HELLO_BODY) {
        throw new Error(`${name}: GET ${HELLO_PATH} answered ${res.status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, one));
}

/**
 * Instructions per request of one variant: one server process, W warm-up requests, then
 * `windows` windows of M requests, each counted on its own.
 */
export async function measureVariant(
  framework,
  variant,
  { warmup, rewarm = REWARM, window, windows, log, nodeFlags = [], keep, concurrency = 1 },
) {
  const name = `${framework}-${variant}`;
  const outDir = mkdtempSync(path.join(os.tmpdir(), `promkit-instr-${name}-`));
  try {
    const server = await startMeasured(framework, variant, outDir, nodeFlags);
    const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
    const load = (count) =>
      hello(agent, server.port, count, name, concurrency).catch(async (error) => {
        throw new Error(
          `${name}: a request failed (${error.code ?? error.message}); ${await server.state()}`,
          {
            cause: error,
          },
        );
      });
    await load(warmup);
    server.instrument(true);
    // Before every window: a full GC, then `rewarm` requests uncounted (V8 re-optimises what
    // the GC deoptimised), then a minor GC; so every window starts from the same state and
    // major GCs fall at the same place in each (see bench/README.md).
    for (let w = 0; w < windows; w++) {
      await server.mark(true);
      server.instrument(false);
      await load(rewarm);
      server.instrument(true);
      await server.mark();
      await load(window);
    }
    await server.mark(true);
    if (RECORDING.has(variant)) {
      // After the last mark: the middleware must have counted every request.
      const res = await get(agent, server.port, '/metrics', metricsAccept(variant));
      const served = warmup + windows * (rewarm + window);
      const problem = recordedProblem(name, variant, res.body, served);
      if (problem !== undefined) throw new Error(problem);
    }
    agent.destroy();
    const dumps = await server.finish();
    if (keep !== undefined) {
      mkdirSync(keep, { recursive: true });
      for (const f of readdirSync(outDir))
        copyFileSync(path.join(outDir, f), path.join(keep, `${name}.${f}`));
      // With --node-flags=--perf-basic-prof: names for the JIT code addresses in the dumps.
      const perfMap = `/tmp/perf-${server.pid}.map`;
      if (existsSync(perfMap)) {
        copyFileSync(perfMap, path.join(keep, `${name}.perf.map`));
        rmSync(perfMap);
      }
      writeFileSync(
        path.join(keep, `${name}.trace`),
        server.trace.map((t) => `W${t.window} ${t.line}\n`).join(''),
      );
    }
    // Two dumps per mark: what ends there, then the mark's own work (dropped). In order:
    // start-up + warm-up, full GC, re-warm (uncounted), minor GC, window 1, full GC, …,
    // window W, full GC; the rest of the run goes to the final, unnumbered file.
    if (dumps.length !== 4 * windows + 2) {
      throw new Error(`${name}: ${dumps.length} callgrind dumps, expected ${4 * windows + 2}`);
    }
    const perRequest = [];
    const noise = [];
    for (let w = 1; w <= windows; w++) {
      const dump = dumps[4 * w];
      perRequest.push(dump.ir / window);
      const { noise: kinds, scavenge } = noiseOf(dump.file);
      const total = Object.values(kinds).reduce((a, b) => a + b, 0);
      noise.push({
        ...kinds,
        pct: (total / dump.ir) * 100,
        scavenge,
        scavengePct: (scavenge / dump.ir) * 100,
      });
    }
    const noisy = noise
      .map((n, i) => {
        const parts = [
          ...(n.pct >= NOISE_WARN_PCT ? [describeNoise(n)] : []),
          ...(n.scavengePct >= SCAVENGE_WARN_PCT
            ? [`scavenge ${(n.scavenge / 1e6).toFixed(2)} M (${n.scavengePct.toFixed(1)} %)`]
            : []),
        ];
        return parts.length === 0 ? '' : `window ${i + 1}: ${parts.join(', ')}`;
      })
      .filter((s) => s !== '');
    log?.(
      `    ${name}: ${perRequest.map((x) => Math.round(x)).join(', ')} instr/req` +
        (noisy.length === 0 ? '' : `; NOT steady (${noisy.join('; ')})`),
    );
    return { perRequest, median: median(perRequest), noise, startup: dumps[0].ir, window };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** A window whose compile/deopt/major-GC work reaches this % of it is reported as not steady. */
const NOISE_WARN_PCT = 0.2;

function describeNoise(n) {
  return `${Object.keys(NOISE)
    .filter((k) => n[k] > 0)
    .map((k) => `${k} ${(n[k] / 1e6).toFixed(2)} M`)
    .join(', ')} (${n.pct.toFixed(2)} %)`;
}

/** Added work as % of bare and promkit's added work over the established middleware's. */
export function summariseInstructions(framework, measured) {
  const row = { framework, established: ESTABLISHED[framework], variants: measured };
  const bare = measured.bare?.median;
  // In a traced process (`traced`: each request in a sampled OpenTelemetry span) promkit's
  // added work is over `traced`, and what exemplars add is that minus its untraced figure.
  const traced = measured.traced?.median;
  if (traced !== undefined && measured['traced-promkit'] !== undefined) {
    const added = measured['traced-promkit'].median - traced;
    row.traced = { added, addedPct: (added / traced) * 100 };
    if (measured.promkit !== undefined && bare !== undefined) {
      row.traced.overUntraced = added - (measured.promkit.median - bare);
    }
  }
  if (bare === undefined) return row;
  for (const v of ['noop', 'promkit', 'established']) {
    if (measured[v] === undefined) continue;
    measured[v].added = measured[v].median - bare;
    measured[v].addedPct = (measured[v].added / bare) * 100;
  }
  if (measured.promkit !== undefined && measured.established !== undefined) {
    row.promkitOverEstablished = measured.promkit.added / measured.established.added;
    row.met = {
      addedPct: measured.promkit.addedPct <= MAX_ADDED_PCT[framework],
      ofEstablished: row.promkitOverEstablished <= MAX_OF_ESTABLISHED,
    };
  }
  return row;
}

export async function runInstructions({
  frameworks = FRAMEWORKS,
  variants = VARIANTS,
  warmup = WARMUP,
  window,
  windows = 5,
  rewarm = REWARM,
  nodeFlags = [],
  keep,
  concurrency = 1,
  log = () => {},
}) {
  const missing = valgrindMissing();
  if (missing !== undefined) throw new Error(missing);
  const rows = [];
  for (const framework of frameworks) {
    const measured = {};
    const size = window ?? windowFor(framework);
    for (const variant of variants) {
      measured[variant] = await measureVariant(framework, variant, {
        warmup,
        window: size,
        windows,
        rewarm,
        log,
        nodeFlags,
        keep,
        concurrency,
      });
    }
    const row = summariseInstructions(framework, measured);
    log(describeInstructions(row));
    rows.push(row);
  }
  return { rows, warmup, rewarm, windows, concurrency };
}

const kInstr = (n) => `${(n / 1000).toFixed(1)} k`;

export function describeInstructions({ framework, variants, promkitOverEstablished, traced }) {
  const parts = Object.entries(variants).map(([v, r]) => {
    const spread = `${kInstr(Math.min(...r.perRequest))}–${kInstr(Math.max(...r.perRequest))}`;
    const added =
      r.addedPct === undefined ? '' : ` (+${kInstr(r.added)}, ${r.addedPct.toFixed(1)} %)`;
    if (v === 'traced-promkit' && traced !== undefined) {
      const more =
        traced.overUntraced === undefined ? '' : `; ${kInstr(traced.overUntraced)} over untraced`;
      return `${v} ${kInstr(r.median)} (+${kInstr(traced.added)} over traced, ${traced.addedPct.toFixed(1)} %${more}) [${spread}]`;
    }
    return `${v} ${kInstr(r.median)}${added} [${spread}]`;
  });
  const ratio =
    promkitOverEstablished === undefined
      ? ''
      : `; promkit adds ${promkitOverEstablished.toFixed(2)}× what established adds`;
  return `  ${framework}: ${parts.join('; ')}${ratio}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      windows: { type: 'string', default: '5' },
      rewarm: { type: 'string', default: String(REWARM) },
      warmup: { type: 'string', default: String(WARMUP) },
      window: { type: 'string' },
      frameworks: { type: 'string' },
      variants: { type: 'string' },
      json: { type: 'boolean', default: false },
      'node-flags': { type: 'string', default: '' },
      keep: { type: 'string' },
      concurrency: { type: 'string', default: '1' },
    },
  });
  const missing = valgrindMissing();
  if (missing !== undefined) {
    process.stderr.write(`${missing}\n`);
    process.exit(1);
  }
  const result = await runInstructions({
    frameworks: values.frameworks?.split(',') ?? FRAMEWORKS,
    variants: values.variants?.split(',') ?? VARIANTS,
    warmup: Number(values.warmup),
    ...(values.window === undefined ? {} : { window: Number(values.window) }),
    windows: Number(values.windows),
    rewarm: Number(values.rewarm),
    nodeFlags: values['node-flags'].split(' ').filter((f) => f !== ''),
    keep: values.keep,
    concurrency: Number(values.concurrency),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
}
