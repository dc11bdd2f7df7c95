/** `count` bucket bounds from `start`, `width` apart (prom-client's `linearBuckets`). */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (count < 1) throw new Error('Linear buckets needs a positive count');
  const buckets = new Array<number>(count);
  // start + i * width, not a running sum, so rounding errors do not accumulate.
  for (let i = 0; i < count; i++) buckets[i] = start + i * width;
  return buckets;
}

/** `count` bucket bounds from `start`, each `factor` times the last (prom-client's `exponentialBuckets`). */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (start <= 0) throw new Error('Exponential buckets needs a positive start');
  if (count < 1) throw new Error('Exponential buckets needs a positive count');
  if (factor <= 1) throw new Error('Exponential buckets needs a factor greater than 1');
  const buckets = new Array<number>(count);
  let bound = start;
  for (let i = 0; i < count; i++) {
    buckets[i] = bound;
    bound *= factor;
  }
  return buckets;
}
