/**
 * What every benchmark server shares: the hello-world route, announcing the bound port
 * to the harness on stdout, and skipping cleanly when a package cannot be loaded.
 */

import { writeSync } from 'node:fs';
import os from 'node:os';

export { HELLO_BODY, HELLO_PATH, HOST } from './hello.mjs';

/**
 * Tells the harness the server is listening: one JSON line on stdout. Idle keep-alive
 * connections are never closed: under valgrind on a loaded machine a server can take
 * longer than Node's 5 s keep-alive timeout to read the next request, and the close
 * then races it (ECONNRESET in the harness). Every variant runs with the same setting.
 */
export function announce(server) {
  server.keepAliveTimeout = 0;
  server.headersTimeout = 0;
  server.requestTimeout = 0;
  say(JSON.stringify({ ready: true, port: server.address().port }));
}

/** One line to the harness: a synchronous write to fd 1, so process.stdout is never created. */
function say(line) {
  writeSync(1, `${line}\n`);
}

/** Tells the harness this variant cannot run here, and why; then exits. */
export function skip(reason) {
  say(JSON.stringify({ skip: reason }));
  process.exit(0);
}

/** Imports a package, or skips the variant when it is missing or fails to load. */
export async function importOrSkip(name) {
  try {
    return await import(name);
  } catch (error) {
    skip(
      `${name} could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : error}`,
    );
  }
}

/** Exits when the harness goes away (closes our stdin), so no server outlives a run. */
process.on('disconnect', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();

// instructions.mjs marks window boundaries with signals: callgrind runs with
// --dump-before=uv_os_getpriority, which nothing else in these servers calls. Neither the
// signal nor the reply (a synchronous write to fd 1, no stream) touches the stream code the
// requests run through: a 'mark' read from stdin did, and each mark then deoptimised
// Readable.read/onwrite (wrong map) so every window re-optimised them. Each mark makes two
// dumps: the first getPriority() ends a segment, the second ends the mark's own work (a GC
// when the server runs with --expose-gc, and the reply), which the harness drops. SIGHUP:
// full GC (the harness then sends uncounted requests while V8 re-optimises what the GC
// threw away); SIGUSR2: minor GC, so the window after it starts with an empty new space.
process.on('SIGUSR2', () => mark('minor'));
process.on('SIGHUP', () => mark('major'));

function mark(gcType) {
  os.getPriority();
  globalThis.gc?.({ type: gcType });
  say('marked');
  os.getPriority();
}
