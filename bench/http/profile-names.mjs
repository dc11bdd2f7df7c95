/**
 * Instructions per request by function, from one window that `instructions.mjs --keep DIR
 * --node-flags=--perf-basic-prof` kept: callgrind knows JavaScript only as addresses, and
 * Node's perf map (kept beside the dumps as `<name>.perf.map`) names them.
 *
 * `node http/profile-names.mjs DIR/fastify-promkit.cg.out.5 DIR/fastify-promkit.perf.map
 *  [--inclusive] [--filter REGEX] [--top 40] [--window 500]`
 *
 * The window's dump is `cg.out.<4w + 1>` for window w (1, 2, …): `.5`, `.9`, `.13`. With
 * `--inclusive` a function's figure includes what it calls (callgrind_annotate's
 * `--inclusive=yes`); functions of one name are summed.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { callgrindCosts } from './callgrind-costs.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    inclusive: { type: 'boolean', default: false },
    filter: { type: 'string' },
    top: { type: 'string', default: '40' },
    window: { type: 'string', default: '500' },
  },
});
const [dump, perfMap] = positionals;
if (dump === undefined || perfMap === undefined) {
  throw new Error('usage: node http/profile-names.mjs <cg.out.N> <perf.map> [--inclusive]');
}

/** The perf map's code ranges, sorted by start: `start size name` per line, hex numbers. */
const ranges = readFileSync(perfMap, 'utf8')
  .split('\n')
  .filter((line) => line !== '')
  .map((line) => {
    const [start, size, ...name] = line.split(' ');
    return {
      start: Number.parseInt(start, 16),
      size: Number.parseInt(size, 16),
      name: name.join(' '),
    };
  })
  .sort((a, b) => a.start - b.start);

function nameAt(address) {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid].start <= address) lo = mid + 1;
    else hi = mid - 1;
  }
  const range = ranges[hi];
  return range !== undefined && address < range.start + range.size ? range.name : undefined;
}

const perFunction = new Map();
for (const cost of callgrindCosts(dump, { inclusive: values.inclusive })) {
  let name = cost.name.replace(/ \[[^\]]*\]$/, '');
  const jit = /^\?\?\?:0x([0-9a-f]+)/.exec(name);
  if (jit !== null) name = nameAt(Number.parseInt(jit[1], 16)) ?? name;
  // V8's tier markers (`*` optimised, `~` interpreted, `^` baseline) would split a function.
  name = name.replace(/^JS:[*~^+]?/, 'JS:');
  perFunction.set(name, (perFunction.get(name) ?? 0) + cost.ir);
}

const filter = values.filter === undefined ? undefined : new RegExp(values.filter);
const perRequest = Number(values.window);
const rows = [...perFunction]
  .filter(([name]) => filter === undefined || filter.test(name))
  .sort((a, b) => b[1] - a[1])
  .slice(0, Number(values.top));
for (const [name, ir] of rows) {
  process.stdout.write(`${(ir / perRequest).toFixed(1).padStart(10)}  ${name}\n`);
}
