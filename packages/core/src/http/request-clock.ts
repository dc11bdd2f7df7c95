/**
 * `performance`, read once: on Node it is a lazy accessor of the global object, and every
 * read of it runs that getter (about 170 instructions, twice per request). Fake timers
 * installed after this module loaded therefore do not reach HTTP durations.
 */
const clock: Pick<Performance, 'now'> = globalThis.performance;

/** A monotonic clock in seconds for timing requests (`monotonicSeconds()` of `../clock`). */
export function requestSeconds(): number {
  return clock.now() / 1000;
}
