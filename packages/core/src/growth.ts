/**
 * The length a column of `length` entries grows to so it holds `needed`: by an eighth
 * (at least 16). At most a ninth of a grown column is unused, against a third when it
 * grows by half and a half when it doubles; the price is copying about 8 entries per new
 * series (amortised memcpy), on the insert path only.
 */
export function grownLength(length: number, needed: number): number {
  return Math.max(16, length + (length >>> 3), needed);
}
