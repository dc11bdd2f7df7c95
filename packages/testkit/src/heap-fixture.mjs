// For fixtures run in a plain Node process with --expose-gc (plain JavaScript, so they can
// import it without a TypeScript loader): what a memory measurement needs.

/** Heap used plus ArrayBuffer bytes (typed arrays live outside the heap) after full GCs. */
export function settledHeap() {
  for (let i = 0; i < 4; i++) globalThis.gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Label values of series `i` of the memory fixtures: one fresh route string per series. */
export function freshLabels(i) {
  return { method: METHODS[i % 5], route: `/api/v1/items/${i}`, status: STATUSES[i % 4] };
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STATUSES = ['200', '201', '404', '500'];
