// Lengths and shapes of values in protobuf's wire format.

/** Bytes a varint of `n` (an integer, 0 ≤ n < 2^53) takes. */
export function varintLength(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  let length = 4;
  for (let rest = Math.floor(n / 0x10000000); rest > 0; rest = Math.floor(rest / 0x80)) length++;
  return length;
}

/** Writes a varint of `n` (an integer, 0 ≤ n < 2^53) at `at`; returns where it ends. */
export function writeVarint(buf: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n & 0x7f) | 0x80;
    n = n < 4294967296 ? n >>> 7 : Math.floor(n / 0x80);
  }
  buf[at++] = n;
  return at;
}

/** UTF-8 length of a well-formed string. */
export function utf8Length(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) length += 1;
    else if (c >= 0xd800 && c <= 0xdbff) {
      // A surrogate pair (the text is well-formed): 4 bytes for 2 code units.
      length += 2;
      i++;
    } else length += 2;
  }
  return length;
}

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
