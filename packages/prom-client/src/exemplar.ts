import type { ExemplarValue } from './types';

/** Throws prom-client's RangeError when an exemplar's label set exceeds 128 characters. */
export function checkExemplarLabels(labelSet: object): void {
  let size = 0;
  for (const [name, value] of Object.entries(labelSet)) size += name.length + `${value}`.length;
  if (size > 128) throw new RangeError('Label set size must be smaller than 128 UTF-8 chars');
}

/** A fresh exemplar stamped now (seconds since the epoch, as prom-client does). */
export function makeExemplar(
  labelSet: Record<string, string | number>,
  value: number,
): ExemplarValue {
  return { labelSet, value, timestamp: Date.now() / 1000 };
}
