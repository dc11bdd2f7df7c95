/**
 * Measures heap bytes per counter series for one library, in its own process so heaps
 * never mix. Run with --expose-gc: `node --expose-gc child.mjs <library> <series>`.
 * Prints one JSON line: { library, series, heapBefore, heapAfter, bytesPerSeries }.
 */
const [library, seriesArg] = process.argv.slice(2);
const series = Number(seriesArg);
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
if (!(series > 0)) throw new Error(`series must be a positive number, got ${seriesArg}`);

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUSES = ['200', '201', '404', '500'];

function settledHeap() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Returns { inc(labels), count(): Promise<number> } for a fresh unregistered-by-default counter. */
async function makeCounter() {
  if (library === 'promkit') {
    const { Counter, Registry } = await import('@promkit/core');
    const registry = new Registry();
    const counter = new Counter('bench_memory_total', 'Memory benchmark.', {
      labelNames: ['method', 'route', 'status'],
      registry,
      maxSeries: Number.POSITIVE_INFINITY,
    });
    return {
      holder: registry,
      inc: (labels) => counter.inc(labels),
      count: async () => counter.seriesCount,
    };
  }
  const lib = await import(library);
  const { Counter, Registry } = lib.default ?? lib;
  const registry = new Registry();
  const counter = new Counter({
    name: 'bench_memory_total',
    help: 'Memory benchmark.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  return {
    holder: registry,
    inc: (labels) => counter.inc(labels),
    count: async () => (await counter.get()).values.length,
  };
}

const counter = await makeCounter();
// Warm the code paths on a throwaway metric-free loop is not possible without series, so
// the baseline is taken with the counter created and empty.
const heapBefore = settledHeap();
for (let i = 0; i < series; i++) {
  // Fresh strings per series: what stays alive afterwards is what the library keeps.
  counter.inc({ method: METHODS[i % 5], route: `/api/v1/items/${i}`, status: STATUSES[i % 4] });
}
const heapAfter = settledHeap();
const counted = await counter.count();
if (counted !== series) throw new Error(`${library}: expected ${series} series, found ${counted}`);
process.stdout.write(
  `${JSON.stringify({
    library,
    series,
    heapBefore,
    heapAfter,
    bytesPerSeries: (heapAfter - heapBefore) / series,
  })}\n`,
);
// Keep the counter reachable until the measurement is printed.
if (counter.holder === undefined) process.exitCode = 1;
