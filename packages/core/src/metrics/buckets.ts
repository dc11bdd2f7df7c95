import { ConfigError } from '../errors';

/** aioprometheus' (and prom-client's) default histogram buckets, in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** `count` buckets starting at `start`, each `width` apart. */
export function linearBuckets(start: number, width: number, count: number): number[] {
  if (!Number.isFinite(start) || !Number.isFinite(width) || width <= 0) {
    throw new ConfigError(`linearBuckets: width must be a finite number > 0, got ${width}`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new ConfigError(`linearBuckets: count must be an integer ≥ 1, got ${count}`);
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start + i * width);
  return out;
}

/** `count` buckets starting at `start`, each `factor` times the previous. */
export function exponentialBuckets(start: number, factor: number, count: number): number[] {
  if (!Number.isFinite(start) || start <= 0) {
    throw new ConfigError(`exponentialBuckets: start must be a finite number > 0, got ${start}`);
  }
  if (!Number.isFinite(factor) || factor <= 1) {
    throw new ConfigError(`exponentialBuckets: factor must be a finite number > 1, got ${factor}`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new ConfigError(`exponentialBuckets: count must be an integer ≥ 1, got ${count}`);
  }
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(start * factor ** i);
  return out;
}

/**
 * Validates classic bucket bounds for `metric` and returns them without a trailing
 * `+Inf` (the writers add it).
 */
export function resolveBuckets(metric: string, buckets: readonly number[]): Float64Array {
  if (!Array.isArray(buckets)) {
    throw new ConfigError(`Histogram "${metric}": buckets must be an array of numbers`);
  }
  const bounds = buckets.at(-1) === Number.POSITIVE_INFINITY ? buckets.slice(0, -1) : buckets;
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i];
    if (typeof b !== 'number' || !Number.isFinite(b)) {
      throw new ConfigError(
        `Histogram "${metric}": bucket ${i} is ${String(b)}, must be a finite number`,
      );
    }
    if (i > 0 && b <= bounds[i - 1]!) {
      throw new ConfigError(
        `Histogram "${metric}": buckets must be strictly increasing, got ${bounds[i - 1]} then ${b}`,
      );
    }
  }
  return Float64Array.from(bounds);
}
