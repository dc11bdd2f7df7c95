/** Seconds elapsed since `start` (a `process.hrtime()` reading). */
export function elapsedSeconds(start: [number, number]): number {
  const delta = process.hrtime(start);
  return delta[0] + delta[1] / 1e9;
}
