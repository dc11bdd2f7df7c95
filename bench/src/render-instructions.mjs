/**
 * Instructions per protobuf (or text) render of the A/B scrape shapes, for one or more builds
 * of @promkit/core: one `node --predictable` process per build and shape under callgrind,
 * warmed up with 60 renders, then one window of `renders` renders counted between two marks
 * (`os.getPriority()`, callgrind's --dump-before=uv_os_getpriority, as http/instructions.mjs
 * does). Each window starts after a full GC. Needs valgrind.
 * `node src/render-instructions.mjs <kind> <format> <dist/index.js>… [--renders N]`
 *   kind: counter|histogram|summary (the first shape of that kind), format: protobuf|text.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const rendersAt = args.indexOf('--renders');
const renders = rendersAt === -1 ? 20 : Number(args.splice(rendersAt, 2)[1]);
const [kind, format, ...builds] = args;
if (kind === undefined || format === undefined || builds.length === 0) {
  throw new Error(
    'usage: node src/render-instructions.mjs <kind> <protobuf|text> <dist/index.js>…',
  );
}
const PROTOBUF =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';
const shapes = pathToFileURL(resolve(import.meta.dirname, 'scrape-registries.mjs')).href;

function child(build) {
  return `
import { getPriority } from 'node:os';
import { registryOf, SHAPES } from ${JSON.stringify(shapes)};
const core = await import(${JSON.stringify(pathToFileURL(resolve(build)).href)});
const [, metrics, series] = SHAPES.find(([k]) => k === ${JSON.stringify(kind)});
const registry = registryOf(core, ${JSON.stringify(kind)}, metrics, series);
const accept = ${format === 'protobuf' ? JSON.stringify(PROTOBUF) : 'undefined'};
for (let i = 0; i < 60; i++) await core.render(registry, accept);
globalThis.gc();
getPriority();
for (let i = 0; i < ${renders}; i++) await core.render(registry, accept);
getPriority();`;
}

for (const build of builds) {
  const dir = mkdtempSync(join(tmpdir(), 'render-instructions-'));
  const run = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--dump-before=uv_os_getpriority',
      `--callgrind-out-file=${join(dir, 'cg.out')}`,
      process.execPath,
      '--predictable',
      '--predictable-gc-schedule',
      '--expose-gc',
      '--input-type=module',
      '-e',
      child(build),
    ],
    { encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`${build}: exit ${run.status}\n${run.stderr}`);
  // Dump 1 ends at the first mark (start-up and warm-up); dump 2 is the window.
  const window = readdirSync(dir).find((f) => f === 'cg.out.2');
  if (window === undefined) throw new Error(`${build}: no window dump in ${readdirSync(dir)}`);
  const ir = Number(/^summary:\s+(\d+)/m.exec(readFileSync(join(dir, window), 'utf8'))[1]);
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `${kind} ${format} ${build}: ${(ir / renders / 1e6).toFixed(3)} M instructions per render`,
  );
}
