/** `process.hrtime` where the runtime has one (Node, Bun, Deno): seconds and nanoseconds. */
type Hrtime = () => readonly [number, number];

/**
 * The runtime's `process.hrtime`, when it is Node's (or Bun's, Deno's): read through
 * `globalThis`, so core imports nothing from `node:` and other runtimes use `performance`.
 * On Node, `performance.now()` checks its receiver and costs about 146 instructions a call;
 * `hrtime()` inlined into `requestSeconds` about 37 (its array does not escape). A
 * `process` without `versions.node` (a bundler's polyfill, often millisecond-grained) is
 * not trusted.
 */
function nodeHrtime(): Hrtime | undefined {
  try {
    const runtime = (
      globalThis as { process?: { hrtime?: unknown; versions?: { node?: unknown } } }
    ).process;
    if (typeof runtime?.versions?.node !== 'string') return undefined;
    const hrtime = runtime.hrtime;
    if (typeof hrtime !== 'function') return undefined;
    const sample: unknown = hrtime();
    if (!Array.isArray(sample) || typeof sample[0] !== 'number' || typeof sample[1] !== 'number') {
      return undefined;
    }
    return hrtime as Hrtime;
  } catch {
    return undefined;
  }
}

const hrtime = nodeHrtime();
/**
 * `performance`, read once: on Node it is a lazy accessor of the global object, and every
 * read of it runs that getter (about 170 instructions). Fake timers installed after this
 * module loaded therefore do not reach HTTP durations.
 */
const clock: Pick<Performance, 'now'> = globalThis.performance;

/**
 * A monotonic clock in seconds for timing requests, sub-millisecond: `process.hrtime()` on
 * Node (and runtimes that have it), else `performance.now()`. Only differences of two
 * readings mean anything; the origin is not `monotonicSeconds()`'s.
 */
export const requestSeconds: () => number =
  hrtime === undefined
    ? function performanceSeconds(): number {
        return clock.now() / 1000;
      }
    : function hrtimeSeconds(): number {
        const time = hrtime();
        return time[0] + time[1] / 1e9;
      };

/**
 * How often, in seconds of `requestSeconds()`'s clock, `wallSecondsAt` re-reads the wall
 * clock: a step of the system clock shows in exemplar timestamps within this long.
 */
const WALL_RESYNC_SECONDS = 10;
let wallOffset = 0;
let wallSyncedAt = Number.NEGATIVE_INFINITY;

/**
 * Unix-epoch seconds at a reading of `requestSeconds()`, from the offset between the two
 * clocks: a request's exemplars are stamped without reading the wall clock, since
 * `Date.now()` is a runtime call (~190 instructions on Node 20: two of them were most of
 * what recording a request's two exemplars cost; bench/README.md, session 11).
 */
export function wallSecondsAt(reading: number): number {
  if (!(reading - wallSyncedAt < WALL_RESYNC_SECONDS)) {
    wallOffset = Date.now() / 1000 - requestSeconds();
    wallSyncedAt = reading;
  }
  return wallOffset + reading;
}
