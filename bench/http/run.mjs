import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { median } from '../src/stats.mjs';
import { HELLO_BODY, HELLO_PATH, HOST, OPENMETRICS_ACCEPT, TRACE_EXEMPLAR } from './hello.mjs';

/**
 * HTTP overhead of each middleware, measured as ORACLES.md prescribes: server CPU time
 * per request (utime+stime from /proc/<pid>/stat before and after a bounded autocannon
 * run, divided by the responses served), bare and instrumented runs alternated (≥ 5
 * rounds), medians with the min–max spread. A second opinion next to instructions.mjs:
 * on a shared machine the load generator and the server fight for the same cores, so
 * figures from a loaded machine are not comparable between runs.
 */

export const FRAMEWORKS = ['fastify', 'express', 'koa', 'hono'];
export const VARIANTS = ['bare', 'promkit', 'established'];
/** The smoke run also starts the traced servers (only Fastify has them; others skip). */
const SMOKE_VARIANTS = [...VARIANTS, 'traced', 'traced-promkit'];
export const ESTABLISHED = {
  fastify: 'fastify-metrics',
  express: 'express-prom-bundle',
  koa: 'prometheus-api-metrics',
  hono: '@hono/prometheus',
};
/** Issue #19's targets: the adapter's added work at most this % of the bare app's… */
export const MAX_ADDED_PCT = { fastify: 5, express: 10, koa: 10, hono: 5 };
/** …and at most this fraction of what the established middleware adds. */
export const MAX_OF_ESTABLISHED = 1 / 3;
const CONNECTIONS = 50;
const READY_TIMEOUT_MS = 20_000;
const CLOCK_TICKS =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of a process in milliseconds. */
function processCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/**
 * Where the server and the load generator run: with ≥ 2 CPUs and `taskset` (util-linux),
 * the server on the last CPU and this process (autocannon) on the others, so the two never
 * take turns on one core and the server is never migrated mid-run. `undefined`: unpinned.
 */
export function cpuPinning() {
  const cpus = os.availableParallelism();
  if (cpus < 2) return undefined;
  const probe = spawnSync('taskset', ['-c', '0', 'true']);
  if (probe.error !== undefined || probe.status !== 0) return undefined;
  return { server: String(cpus - 1), load: cpus === 2 ? '0' : `0-${cpus - 2}` };
}

/** Pins this process's threads to `cpus`; returns a function that restores the old mask. */
export function pinSelf(cpus) {
  const pid = String(process.pid);
  const shown = execFileSync('taskset', ['-p', pid], { encoding: 'utf8' });
  const mask = shown.slice(shown.lastIndexOf(':') + 1).trim();
  execFileSync('taskset', ['-a', '-p', '-c', cpus, pid], { stdio: 'ignore' });
  return () => execFileSync('taskset', ['-a', '-p', mask, pid], { stdio: 'ignore' });
}

function scriptOf(framework, variant) {
  return fileURLToPath(new URL(`./${framework}-${variant}.mjs`, import.meta.url));
}

/**
 * Starts one server script (with `nodeFlags` before it, if any); resolves
 * { pid, port, stop, stderr } or { skip }.
 */
export function startServer(framework, variant, pinning, nodeFlags = []) {
  const script = scriptOf(framework, variant);
  const args = [...nodeFlags, script];
  // taskset execs node, so the child's pid is the server's (its /proc stat is read).
  const child =
    pinning === undefined
      ? spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] })
      : spawn('taskset', ['-c', pinning.server, process.execPath, ...args], {
          stdio: ['pipe', 'pipe', 'pipe'],
        });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`${framework}-${variant}: not ready after ${READY_TIMEOUT_MS} ms\n${stderr}`),
      );
    }, READY_TIMEOUT_MS);
    child.stdout.on('data', (d) => {
      buffered += d;
      const line = buffered.split('\n')[0];
      if (!buffered.includes('\n')) return;
      clearTimeout(timer);
      const message = JSON.parse(line);
      if (message.skip !== undefined) {
        resolve({ skip: message.skip });
        return;
      }
      // Closing stdin lets server-kit exit on its own (so a `--cpu-prof` profile is
      // written); SIGTERM if it has not within 2 s.
      const stop = () =>
        new Promise((done) => {
          if (child.exitCode !== null) return done();
          const force = setTimeout(() => child.kill('SIGTERM'), 2000);
          child.once('exit', () => {
            clearTimeout(force);
            done();
          });
          child.stdin.end();
        });
      resolve({ pid: child.pid, port: message.port, stop, stderr: () => stderr });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        new Error(`${framework}-${variant} exited with ${code} before it was ready\n${stderr}`),
      );
    });
  });
}

/** A bounded load: `seconds` long, or exactly `requests` requests when given (smoke). */
function load(port, { seconds, requests }) {
  return autocannon({
    url: `http://${HOST}:${port}${HELLO_PATH}`,
    connections: CONNECTIONS,
    ...(requests === undefined ? { duration: seconds } : { amount: requests }),
  });
}

/** One bounded run against one server: CPU µs per request and requests/s. */
export async function measureRun(server, bound) {
  const before = processCpuMs(server.pid);
  const result = await load(server.port, bound);
  const after = processCpuMs(server.pid);
  const served = result['2xx'];
  if (served === 0 || result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `run against port ${server.port} failed: ${served} ok, ${result.non2xx} non-2xx, ${result.errors} errors\n${server.stderr()}`,
    );
  }
  return { usPerRequest: ((after - before) * 1000) / served, rps: result.requests.average, served };
}

async function checkHello(server) {
  const res = await fetch(`http://${HOST}:${server.port}${HELLO_PATH}`);
  const body = await res.text();
  if (res.status !== 200 || body !== HELLO_BODY) {
    throw new Error(`GET ${HELLO_PATH} answered ${res.status} ${JSON.stringify(body)}`);
  }
}

/**
 * The variants whose server records requests (bare, noop and traced record nothing): their
 * /metrics must count every request they served.
 */
export const RECORDING = new Set(['promkit', 'established', 'traced-promkit']);

/** The Accept header a variant's /metrics is read with: OpenMetrics where exemplars must show. */
export function metricsAccept(variant) {
  return variant === 'traced-promkit' ? OPENMETRICS_ACCEPT : undefined;
}

/**
 * What is wrong with a recording variant's /metrics page (read with `metricsAccept`) once it
 * served at least `minimum` hello requests, or undefined: each must be counted, and a traced
 * server's requests must have recorded their span as an exemplar.
 */
export function recordedProblem(name, variant, page, minimum) {
  if (variant === 'traced-promkit' && !TRACE_EXEMPLAR.test(page)) {
    return `${name}: no trace_id exemplar on http_requests_total in /metrics`;
  }
  const total = page
    .split('\n')
    .filter((l) => l.startsWith('http_request_duration_seconds_count') && l.includes(HELLO_PATH))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
  return total >= minimum
    ? undefined
    : `${name}: /metrics counts ${total} ${HELLO_PATH} requests, expected ≥ ${minimum}`;
}

/** After load, an instrumented server's /metrics must count the hello route's requests. */
async function checkRecorded(framework, variant, server, minimum) {
  const accept = metricsAccept(variant);
  const res = await fetch(`http://${HOST}:${server.port}/metrics`, {
    headers: accept === undefined ? {} : { accept },
  });
  const page = await res.text();
  if (res.status !== 200) return [`${framework}-${variant}: GET /metrics answered ${res.status}`];
  const problem = recordedProblem(`${framework}-${variant}`, variant, page, minimum);
  return problem === undefined ? [] : [problem];
}

export async function runHttp({
  smoke,
  log,
  seconds = 5,
  alternations = smoke ? 1 : 5,
  frameworks: only = FRAMEWORKS,
  variants = smoke ? SMOKE_VARIANTS : VARIANTS,
  pin = true,
}) {
  const pinning = pin ? cpuPinning() : undefined;
  const unpin = pinning === undefined ? undefined : pinSelf(pinning.load);
  try {
    return await runPinned({ smoke, log, seconds, alternations, only, variants, pinning });
  } finally {
    unpin?.();
  }
}

async function runPinned({ smoke, log, seconds, alternations, only, variants, pinning }) {
  const bound = smoke ? { requests: 500 } : { seconds };
  // autocannon takes ≥ 1 s per run whatever its bound, so smoke mode skips the warm-up.
  const warmup = smoke ? undefined : { seconds: 1 };
  const frameworks = [];
  const failures = [];
  for (const framework of FRAMEWORKS.filter((f) => only.includes(f))) {
    const servers = {};
    const skipped = {};
    try {
      // A variant beyond bare/promkit/established runs where its script exists.
      const mine = variants.filter(
        (v) => VARIANTS.includes(v) || existsSync(scriptOf(framework, v)),
      );
      for (const variant of mine) {
        const started = await startServer(framework, variant, pinning);
        if (started.skip !== undefined) {
          skipped[variant] = started.skip;
          log(`  ${framework}-${variant}: skipped (${started.skip})`);
        } else {
          servers[variant] = started;
          await checkHello(started);
        }
      }
      const live = mine.filter((v) => servers[v] !== undefined);
      if (warmup !== undefined) for (const v of live) await load(servers[v].port, warmup);
      const runs = Object.fromEntries(live.map((v) => [v, []]));
      for (let r = 0; r < alternations; r++) {
        // bare, promkit, established, then rotated, so no variant always runs first.
        for (let i = 0; i < live.length; i++) {
          const v = live[(i + r) % live.length];
          runs[v].push(await measureRun(servers[v], bound));
        }
      }
      if (smoke) {
        for (const v of live) {
          if (!RECORDING.has(v)) continue;
          const served = runs[v].reduce((a, run) => a + run.served, 0);
          failures.push(...(await checkRecorded(framework, v, servers[v], served)));
        }
      }
      const summary = summarise(framework, runs, skipped);
      frameworks.push(summary);
      log(describe(summary));
    } catch (error) {
      failures.push(`${framework}: ${error instanceof Error ? error.message : error}`);
      log(`  ${framework}: FAILED ${error instanceof Error ? error.message : error}`);
    } finally {
      await Promise.all(Object.values(servers).map((s) => s.stop()));
    }
  }
  return {
    frameworks,
    failures,
    seconds: smoke ? undefined : seconds,
    alternations,
    connections: CONNECTIONS,
    pinning,
  };
}

function summarise(framework, runs, skipped) {
  const variants = {};
  for (const [v, list] of Object.entries(runs)) {
    variants[v] = {
      usPerRequest: median(list.map((r) => r.usPerRequest)),
      min: Math.min(...list.map((r) => r.usPerRequest)),
      max: Math.max(...list.map((r) => r.usPerRequest)),
      rps: median(list.map((r) => r.rps)),
      runs: list.map((r) => r.usPerRequest),
    };
  }
  const bare = variants.bare?.usPerRequest;
  for (const v of ['noop', 'promkit', 'established']) {
    if (variants[v] !== undefined && bare !== undefined) {
      variants[v].overheadPct = (variants[v].usPerRequest / bare - 1) * 100;
    }
  }
  // In a traced process promkit's overhead is over the traced server (http/tracing.mjs).
  const traced = variants.traced?.usPerRequest;
  if (variants['traced-promkit'] !== undefined && traced !== undefined) {
    variants['traced-promkit'].overheadPct =
      (variants['traced-promkit'].usPerRequest / traced - 1) * 100;
  }
  const p = variants.promkit?.usPerRequest;
  const e = variants.established?.usPerRequest;
  if (bare !== undefined && p !== undefined && e !== undefined && e > bare) {
    variants.promkit.ofEstablished = (p - bare) / (e - bare);
  }
  return { framework, established: ESTABLISHED[framework], variants, skipped };
}

function describe({ framework, variants, skipped }) {
  const parts = [...new Set([...Object.keys(variants), ...Object.keys(skipped)])].map((v) => {
    const r = variants[v];
    if (r === undefined) return `${v} skipped (${skipped[v] ?? 'not run'})`;
    const overhead =
      r.overheadPct === undefined
        ? ''
        : ` (${r.overheadPct >= 0 ? '+' : ''}${r.overheadPct.toFixed(1)} %)`;
    const each = r.runs.map((x) => x.toFixed(1)).join('/');
    return `${v} ${r.usPerRequest.toFixed(1)} µs/req${overhead} [runs ${each}], ${Math.round(r.rps)} req/s`;
  });
  return `  ${framework}: ${parts.join('; ')}`;
}
