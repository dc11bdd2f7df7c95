/** Small numeric helpers shared by the benchmark parts. */

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The value at rank `q` (0…1) of an ascending-sorted array. */
export function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
}

/**
 * CPU nanoseconds per call of a loop `run(turns)` making `callsPerTurn` calls a turn: two
 * warm-up runs, then the median of `rounds` timed runs (`process.cpuUsage`).
 */
export function medianCpuNanos(run, { turns = 300_000, callsPerTurn = 1, rounds = 9 } = {}) {
  run(turns);
  run(turns);
  const nanos = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.cpuUsage();
    run(turns);
    const used = process.cpuUsage(start);
    nanos.push(((used.user + used.system) * 1000) / (turns * callsPerTurn));
  }
  return median(nanos);
}
