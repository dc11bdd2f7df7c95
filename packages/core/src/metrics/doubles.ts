/**
 * An array of exactly `length` zeros held as unboxed doubles (V8's holey double elements:
 * `new Array(length)` sizes it exactly, where pushes would leave growth room). A plain
 * array, not a `Float64Array`: a typed array costs V8 ~200 B besides its numbers (its
 * buffer object, the buffer's extension and a separate allocation), an array ~48 B. Every
 * array made here has the same elements kind, so code reading them stays monomorphic.
 */
export function doubles(length: number): number[] {
  const array = new Array<number>(Math.max(length, 1)).fill(0.5);
  array.fill(0);
  array.length = length;
  return array;
}

/** `doubles(length)` holding `from`'s numbers first (`length` ≥ `from.length`). */
export function grownDoubles(from: readonly number[], length: number): number[] {
  const grown = doubles(length);
  for (let i = 0; i < from.length; i++) grown[i] = from[i]!;
  return grown;
}
