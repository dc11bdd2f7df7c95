/**
 * Instructions per render of one metric (`--kind counter|histogram|summary`; a counter has 3
 * labels, the others the scrape shapes' 2 and 1 000 series by default) under valgrind's
 * callgrind, for one or more builds of @promkit/core. Each build runs in its own `node --predictable
 * --predictable-gc-schedule` child: uncounted warm-up, then `--windows` windows of
 * `--renders` renders, each after a full GC and marked by `os.getPriority()` (callgrind
 * dumps before `uv_os_getpriority`); instrumentation is turned on after the warm-up.
 *
 * `node src/render-instructions.mjs [--kind counter] [--labels 2] --format protobuf --series 100000 <dist/index.js>…`
 * Prints per build the instructions per render of every window, their median and range,
 * and the same without the garbage collector's functions and then also without V8's
 * optimizing compilers (by name: V8 starts a marking or not depending on heuristics, and
 * a major GC can make it recompile, which moves a window by tens of M);
 * `--keep` keeps the callgrind dumps (for `callgrind_annotate`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCore, PROTOBUF, registryOf } from './scrape-registries.mjs';

/** Heap-management functions: the garbage collector's work, counted exclusively. */
const GC_FUNCTION =
  /v8::internal::.*(Mark|Sweep|Scaveng|Evacuat|Compact|RememberedSet|SlotSet|SizeFromMap|BodyDescriptor|FreeList|ArrayBufferSweeper|WeakObjects|IterateObjectCache)/;

/** V8's optimizing compilers (recompiling after a deopt or a code flush in a window). */
const COMPILER_FUNCTION = /v8::internal::(compiler|maglev)::/;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    child: { type: 'boolean', default: false },
    kind: { type: 'string', default: 'counter' },
    format: { type: 'string', default: 'protobuf' },
    series: { type: 'string' },
    renders: { type: 'string' },
    windows: { type: 'string', default: '5' },
    warmup: { type: 'string' },
    keep: { type: 'boolean', default: false },
    labels: { type: 'string' },
  },
});
/** 3 (`method`, `path`, `code`) or 2 (the micro bench's scrape cases: `path`, `code`). */
const labelCount = Number(values.labels ?? (values.kind === 'counter' ? 3 : 2));
const series = Number(values.series ?? (values.kind === 'counter' ? 10_000 : 1_000));
const renders = Number(values.renders ?? (series >= 100_000 ? 2 : 10));
const windows = Number(values.windows);
const warmup = Number(values.warmup ?? Math.max(10, 2_000_000 / series));
const accept = values.format === 'protobuf' ? PROTOBUF : undefined;

if (values.child) await child(positionals[0]);
else await parent(positionals);

async function child(path) {
  const core = await loadCore(path);
  const registry = registryOf(core, values.kind, 1, series, labelCount);
  let length = 0;
  for (let i = 0; i < warmup; i++) length = (await core.render(registry, accept)).body.length;
  process.stdout.write(`ready ${length}\n`);
  await new Promise((done) => process.stdin.once('data', done));
  for (let w = 0; w < windows; w++) {
    globalThis.gc();
    getPriority(); // dump: since the last mark (GC, uncounted)
    for (let i = 0; i < renders; i++) await core.render(registry, accept);
    getPriority(); // dump: the window
  }
  process.stdout.write('done\n');
  process.exit(0);
}

async function parent(paths) {
  const script = fileURLToPath(import.meta.url);
  for (const path of paths) {
    const dir = mkdtempSync(join(tmpdir(), 'render-cg-'));
    const proc = spawn(
      'valgrind',
      [
        '--tool=callgrind',
        '--instr-atstart=no',
        '--dump-before=uv_os_getpriority',
        `--callgrind-out-file=${join(dir, 'cg.out')}`,
        process.execPath,
        '--predictable',
        '--predictable-gc-schedule',
        '--expose-gc',
        script,
        '--child',
        `--kind=${values.kind}`,
        `--format=${values.format}`,
        `--series=${series}`,
        `--renders=${renders}`,
        `--windows=${windows}`,
        `--labels=${labelCount}`,
        `--warmup=${warmup}`,
        path,
      ],
      { stdio: ['pipe', 'pipe', 'ignore'] },
    );
    const lines = createInterface({ input: proc.stdout });
    let bytes = '';
    for await (const line of lines) {
      if (line.startsWith('ready')) {
        bytes = line.slice(6);
        execFileSync('callgrind_control', ['-i', 'on', String(proc.pid)], { stdio: 'ignore' });
        proc.stdin.write('go\n');
      }
      if (line === 'done') break;
    }
    await new Promise((done) => proc.once('exit', done));
    const files = readdirSync(dir)
      .map((name) => /^cg\.out\.(\d+)$/.exec(name))
      .filter((m) => m !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]))
      .map((m) => join(dir, m[0]));
    const dumps = files.map((file) => totalOf(readFileSync(file, 'utf8')));
    const overhead = files.filter((_, i) => i % 2 === 1).map(overheadOf);
    const gc = overhead.map((o) => o.gc / renders / 1e6);
    const compiler = overhead.map((o) => o.compiler / renders / 1e6);
    if (!values.keep) rmSync(dir, { recursive: true });
    else console.log(`dumps kept in ${dir}`);
    // Dumps alternate: before a window (GC, uncounted), the window.
    const perRender = dumps.filter((_, i) => i % 2 === 1).map((n) => n / renders / 1e6);
    const sorted = [...perRender].sort((a, b) => a - b);
    const withoutGc = perRender.map((n, i) => n - gc[i]);
    const mutator = withoutGc.map((n, i) => n - compiler[i]);
    const mid = (a) => [...a].sort((x, y) => x - y)[a.length >> 1]?.toFixed(2);
    console.log(
      `${path} ${values.kind} ${values.format} ${series} series (${bytes} bytes): median ${mid(perRender)} M instr/render [${Math.min(...sorted).toFixed(2)}–${Math.max(...sorted).toFixed(2)}], ` +
        `without GC ${mid(withoutGc)} [${Math.min(...withoutGc).toFixed(2)}–${Math.max(...withoutGc).toFixed(2)}], ` +
        `without GC and compiler ${mid(mutator)} [${Math.min(...mutator).toFixed(2)}–${Math.max(...mutator).toFixed(2)}]; ` +
        `windows ${perRender.map((n) => n.toFixed(2)).join(' ')}; GC ${gc.map((n) => n.toFixed(2)).join(' ')}; compiler ${compiler.map((n) => n.toFixed(2)).join(' ')}`,
    );
  }
}

/**
 * The instructions of a dump spent in `GC_FUNCTION`s and in `COMPILER_FUNCTION`s
 * (approximate: by function name).
 */
function overheadOf(file) {
  const text = execFileSync('callgrind_annotate', ['--threshold=100', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const total = { gc: 0, compiler: 0 };
  for (const line of text.split('\n')) {
    const m = /^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$/.exec(line);
    if (m === null) continue;
    const n = Number(m[1].replaceAll(',', ''));
    if (GC_FUNCTION.test(m[2])) total.gc += n;
    else if (COMPILER_FUNCTION.test(m[2])) total.compiler += n;
  }
  return total;
}

function totalOf(dump) {
  const m = /^(?:summary|totals): (\d+)/m.exec(dump);
  return m === null ? Number.NaN : Number(m[1]);
}
