import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from '../src/stats.mjs';
import { HELLO_BODY, HELLO_PATH, HOST } from './hello.mjs';
import { ESTABLISHED, FRAMEWORKS, MAX_ADDED_PCT, MAX_OF_ESTABLISHED, VARIANTS } from './run.mjs';

/**
 * Instructions per request, counted by valgrind (callgrind) in the server process only.
 * The load comes from this unmeasured process: one keep-alive connection, one request at a
 * time, so every request is one socket read and one write in the server however busy the
 * machine is. After W warm-up requests the harness marks window boundaries through the
 * server's stdin (server-kit calls os.getPriority(), and callgrind runs with
 * --dump-before=uv_os_getpriority): each dump holds the instructions of exactly one window
 * of M requests, so start-up, module loading and warm-up JIT work never enter a figure.
 *
 * `node http/instructions.mjs [--windows 3] [--warmup 1000] [--window 500]
 *  [--frameworks express,koa] [--variants bare,promkit] [--json]`
 */

const READY_TIMEOUT_MS = 1_200_000;
const MARK_FUNCTION = 'uv_os_getpriority';

/** Why valgrind cannot be run here, or undefined. The bench installs nothing itself. */
export function valgrindMissing() {
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (probe.error === undefined && probe.status === 0) return undefined;
  return 'valgrind is not installed: run `sudo apt-get install -y valgrind` (Debian/Ubuntu) and retry';
}

/** Starts one server under callgrind; resolves { port, mark, finish }. */
function startMeasured(framework, variant, outDir) {
  const script = fileURLToPath(new URL(`./${framework}-${variant}.mjs`, import.meta.url));
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--dump-before=${MARK_FUNCTION}`,
      `--callgrind-out-file=${path.join(outDir, 'cg.out')}`,
      process.execPath,
      // One thread does all of V8's work (no concurrent compilation or marking), so JIT
      // and GC work land in the same window on every run.
      '--predictable',
      script,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = [];
  let waiting;
  let buffered = '';
  child.stdout.on('data', (d) => {
    buffered += d;
    let nl = buffered.indexOf('\n');
    while (nl !== -1) {
      lines.push(buffered.slice(0, nl));
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
      async mark() {
        child.stdin.write('mark\n');
        const answer = await nextLine();
        if (answer !== 'marked') throw new Error(`${framework}-${variant}: answered ${answer}`);
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
            const match = /^summary:\s+(\d+)/m.exec(readFileSync(path.join(outDir, f), 'utf8'));
            if (match === null) throw new Error(`${f}: no summary line`);
            return Number(match[1]);
          });
      },
    };
  });
}

/** GET on the single keep-alive connection; resolves status and body. */
function get(agent, port, urlPath) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: urlPath, agent }, (res) => {
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

async function hello(agent, port, count, name) {
  for (let i = 0; i < count; i++) {
    const res = await get(agent, port, HELLO_PATH);
    if (res.status !== 200 || res.body !== HELLO_BODY) {
      throw new Error(`${name}: GET ${HELLO_PATH} answered ${res.status}`);
    }
  }
}

/**
 * Instructions per request of one variant: one server process, W warm-up requests, then
 * `windows` windows of M requests, each counted on its own.
 */
export async function measureVariant(framework, variant, { warmup, window, windows, log }) {
  const name = `${framework}-${variant}`;
  const outDir = mkdtempSync(path.join(os.tmpdir(), `promkit-instr-${name}-`));
  try {
    const server = await startMeasured(framework, variant, outDir);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    await hello(agent, server.port, warmup, name);
    await server.mark();
    for (let w = 0; w < windows; w++) {
      await hello(agent, server.port, window, name);
      await server.mark();
    }
    if (variant !== 'bare') {
      // After the last mark: the middleware must have counted every request.
      const res = await get(agent, server.port, '/metrics');
      const total = res.body
        .split('\n')
        .filter(
          (l) => l.startsWith('http_request_duration_seconds_count') && l.includes(HELLO_PATH),
        )
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
      const served = warmup + windows * window;
      if (total < served) throw new Error(`${name}: /metrics counts ${total} of ${served}`);
    }
    agent.destroy();
    const dumps = await server.finish();
    // One dump per mark: dumps[0] is start-up + warm-up, then one per window (the rest
    // of the run goes to the final, unnumbered file).
    if (dumps.length !== windows + 1) {
      throw new Error(`${name}: ${dumps.length} callgrind dumps, expected ${windows + 1}`);
    }
    const perRequest = dumps.slice(1, windows + 1).map((ir) => ir / window);
    log?.(`    ${name}: ${perRequest.map((x) => Math.round(x)).join(', ')} instr/req`);
    return { perRequest, median: median(perRequest), startup: dumps[0] };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** Added work as % of bare and promkit's added work over the established middleware's. */
export function summariseInstructions(framework, measured) {
  const row = { framework, established: ESTABLISHED[framework], variants: measured };
  const bare = measured.bare?.median;
  if (bare === undefined) return row;
  for (const v of ['promkit', 'established']) {
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
  warmup = 1000,
  window = 500,
  windows = 3,
  log = () => {},
}) {
  const missing = valgrindMissing();
  if (missing !== undefined) throw new Error(missing);
  const rows = [];
  for (const framework of frameworks) {
    const measured = {};
    for (const variant of variants) {
      measured[variant] = await measureVariant(framework, variant, {
        warmup,
        window,
        windows,
        log,
      });
    }
    const row = summariseInstructions(framework, measured);
    log(describeInstructions(row));
    rows.push(row);
  }
  return { rows, warmup, window, windows };
}

const kInstr = (n) => `${(n / 1000).toFixed(1)} k`;

export function describeInstructions({ framework, variants, promkitOverEstablished }) {
  const parts = Object.entries(variants).map(([v, r]) => {
    const spread = `${kInstr(Math.min(...r.perRequest))}–${kInstr(Math.max(...r.perRequest))}`;
    const added =
      r.addedPct === undefined ? '' : ` (+${kInstr(r.added)}, ${r.addedPct.toFixed(1)} %)`;
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
      windows: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1000' },
      window: { type: 'string', default: '500' },
      frameworks: { type: 'string' },
      variants: { type: 'string' },
      json: { type: 'boolean', default: false },
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
    window: Number(values.window),
    windows: Number(values.windows),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
}
