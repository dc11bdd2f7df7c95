/** Seconds since the Unix epoch, as exposed in `_created` samples and exemplar timestamps. */
export function epochSeconds(): number {
  return Date.now() / 1000;
}

/** Whole milliseconds since the Unix epoch: `epochSeconds() * 1000`. */
export function epochMillis(): number {
  return Date.now();
}

/** A monotonic clock in seconds for measuring durations. */
export function monotonicSeconds(): number {
  return performance.now() / 1000;
}
