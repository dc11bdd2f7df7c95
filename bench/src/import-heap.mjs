/**
 * Heap a fresh process holds after importing a package: `v8.getHeapStatistics()`'s
 * used_heap_size after two full GCs, before and after the import, one new `node --expose-gc`
 * process per sample (module caches and JIT state never carry over). Prints the medians
 * over the processes, with [min–max], of the heap after the import and of what it added.
 * `node src/import-heap.mjs [specifier or path] [processes]`, default `@promkit/core`, 11.
 * A path (e.g. an older build's dist/index.js) is imported as a file.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [target = '@promkit/core', processesArg = '11'] = process.argv.slice(2);
const processes = Number(processesArg);
const specifier =
  target.startsWith('.') || target.startsWith('/') ? pathToFileURL(resolve(target)).href : target;

const CHILD = `
import { getHeapStatistics } from 'node:v8';
function used() {
  globalThis.gc();
  globalThis.gc();
  return getHeapStatistics().used_heap_size;
}
const before = used();
const module = await import(${JSON.stringify(specifier)});
const after = used();
if (Object.keys(module).length === 0) throw new Error('nothing imported');
console.log(JSON.stringify([after, after - before]));`;

const afters = [];
const added = [];
for (let i = 0; i < processes; i++) {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD], {
    cwd: import.meta.dirname,
    encoding: 'utf8',
  });
  const [after, delta] = JSON.parse(out);
  afters.push(after / 1000);
  added.push(delta / 1000);
}
const spread = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1].toFixed(1);
  return `${median} kB [${sorted[0].toFixed(1)}–${sorted.at(-1).toFixed(1)}]`;
};
console.log(
  `${target}: heap after import ${spread(afters)}, added by it ${spread(added)}; ` +
    `medians of ${processes} processes (Node ${process.versions.node})`,
);
