/**
 * A google.protobuf.Timestamp's `seconds` and `nanos` from seconds since the epoch
 * (nanos rounded, carried into seconds when they round up to a whole second).
 */
export function timestampParts(seconds: number): { whole: number; nanos: number } {
  let whole = Math.floor(seconds);
  let nanos = Math.round((seconds - whole) * 1e9);
  if (nanos >= 1e9) {
    whole += 1;
    nanos -= 1e9;
  }
  return { whole, nanos };
}
