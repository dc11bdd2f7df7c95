import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection, handed to mitata as its `gc` option (run before each
 * measurement, untimed). Without `--expose-gc` mitata falls back to allocating a 1 GiB
 * array, which collects nothing itself and starts a mark-compact of the whole heap in
 * the timed samples that follow; a real GC leaves every library's samples the same clean
 * heap, whatever the case before it left behind. A context made after the flag is set
 * has `gc`, so the bench needs no node flag.
 */
export const fullGc = typeof globalThis.gc === 'function' ? globalThis.gc : exposedGc();

function exposedGc() {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc');
}
