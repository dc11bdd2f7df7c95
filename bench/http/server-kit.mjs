/**
 * What every benchmark server shares: the hello-world route, announcing the bound port
 * to the harness on stdout, and skipping cleanly when a package cannot be loaded.
 */

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
  process.stdout.write(`${JSON.stringify({ ready: true, port: server.address().port })}\n`);
}

/** Tells the harness this variant cannot run here, and why; then exits. */
export function skip(reason) {
  process.stdout.write(`${JSON.stringify({ skip: reason })}\n`);
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

/** Exits when the harness goes away, so no server outlives a run. */
process.on('disconnect', () => process.exit(0));
process.stdin.on('end', () => process.exit(0));
// instructions.mjs marks window boundaries: callgrind runs with
// --dump-before=uv_os_getpriority, which nothing else in these servers calls.
process.stdin.on('data', (chunk) => {
  for (const line of String(chunk).split('\n')) {
    if (line !== 'mark') continue;
    os.getPriority();
    process.stdout.write('marked\n');
  }
});
process.stdin.resume();
