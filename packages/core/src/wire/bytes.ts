// Protobuf wire-format primitives written straight into a Uint8Array: varints, doubles and
// length-delimited strings. Every protobuf writer in promkit goes through these (ProtoWriter,
// the column writer, the interned label fields), so each encoding rule has one implementation.

const TWO_32 = 4294967296;
const UINT64_END = TWO_32 * TWO_32;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
/** Strings at least this long go through `TextEncoder.encodeInto` (see bench/README.md's log). */
const ENCODE_INTO_FROM = 64;

const encoder = new TextEncoder();
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Which word of `u32` holds the double's low bits. */
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;

/** Bytes a varint of `n` (an integer, 0 ≤ n < 2^64) takes. */
export function varintLength(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x4000) return 2;
  if (n < 0x200000) return 3;
  if (n < 0x10000000) return 4;
  let length = 4;
  for (let rest = Math.floor(n / 0x10000000); rest > 0; rest = Math.floor(rest / 0x80)) length++;
  return length;
}

/** Writes a varint of `n` (an integer, 0 ≤ n < 2^64) at `at`; returns where it ends. */
export function writeVarint(buf: Uint8Array, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n & 0x7f) | 0x80;
    n = n < TWO_32 ? n >>> 7 : Math.floor(n / 0x80);
  }
  buf[at++] = n;
  return at;
}

/**
 * Writes an int64 (or uint64) varint of `n` at `at`; returns where it ends. Negative
 * numbers take ten bytes (two's complement, as protobuf's int64 requires); like
 * protobufjs, the fraction is dropped and bits above 64 wrap.
 */
export function writeInt64(buf: Uint8Array, at: number, n: number): number {
  if (n >= 0 && n < UINT64_END) return writeVarint(buf, at, n);
  splitInt64(n);
  return writeVarint64(buf, at, lowBits, highBits);
}

/** Writes a zigzag (sint32/sint64) varint of the integer `n`; returns where it ends. */
export function writeSint64(buf: Uint8Array, at: number, n: number): number {
  if (n >= INT32_MIN && n <= INT32_MAX) return writeVarint(buf, at, ((n << 1) ^ (n >> 31)) >>> 0);
  splitInt64(n);
  const mask = highBits >> 31;
  return writeVarint64(
    buf,
    at,
    ((lowBits << 1) ^ mask) >>> 0,
    (((highBits << 1) | (lowBits >>> 31)) ^ mask) >>> 0,
  );
}

/** Writes a double, little-endian, into the bytes `out` views; returns where it ends. */
export function writeDouble(out: DataView, at: number, value: number): number {
  f64[0] = value;
  out.setUint32(at, u32[LOW_WORD]!, true);
  out.setUint32(at + 4, u32[1 - LOW_WORD]!, true);
  return at + 8;
}

/** UTF-8 length of `text` as `TextEncoder` writes it (a lone surrogate as U+FFFD, 3 bytes). */
export function utf8Length(text: string): number {
  const n = text.length;
  let length = n;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) length += 1;
    else if (c <= 0xdbff && c >= 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: 4 bytes for 2 code units.
      length += 2;
      i++;
    } else length += 2;
  }
  return length;
}

/**
 * Writes `text` as the body of a length-delimited field at `at`: its UTF-8 length as a
 * varint, then the bytes `TextEncoder` gives for it. Needs room for what it writes; it is
 * fastest with room for 5 + 3 × `text.length` bytes. Returns where it ends.
 */
export function writeString(buf: Uint8Array, at: number, text: string): number {
  const n = text.length;
  if (n < ENCODE_INTO_FROM) {
    // One pass: the bytes go after a one-byte length, moved up one if the length needs two
    // (at most 3 × 63 bytes, so never more).
    const end = writeUtf8(buf, at + 1, text);
    const length = end - at - 1;
    if (length < 0x80) {
      buf[at] = length;
      return end;
    }
    buf.copyWithin(at + 2, at + 1, end);
    writeVarint(buf, at, length);
    return end + 1;
  }
  const most = 3 * n;
  const room = varintLength(most);
  if (at + room + most > buf.length) {
    // A buffer sized to fit exactly: measure first.
    const length = utf8Length(text);
    at = writeVarint(buf, at, length);
    encoder.encodeInto(text, buf.subarray(at, at + length));
    return at + length;
  }
  // Encoded after room for the longest length it could have, then moved down to its own:
  // cheaper than a pass to measure it.
  const { written } = encoder.encodeInto(text, buf.subarray(at + room, at + room + most));
  const prefix = varintLength(written);
  if (prefix < room) buf.copyWithin(at + prefix, at + room, at + room + written);
  writeVarint(buf, at, written);
  return at + prefix + written;
}

/** A string field: one-byte `tag`, then `writeString`'s length and bytes. */
export function writeStringField(buf: Uint8Array, at: number, tag: number, text: string): number {
  buf[at] = tag;
  return writeString(buf, at + 1, text);
}

/** UTF-8 of `text` at `at`, byte for byte what `TextEncoder` writes; returns where it ends. */
function writeUtf8(buf: Uint8Array, at: number, text: string): number {
  const n = text.length;
  let i = 0;
  // ASCII first: label names and values nearly always are.
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) break;
    buf[at + i] = c;
  }
  at += i;
  for (; i < n; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      buf[at++] = c;
    } else if (c < 0x800) {
      buf[at++] = 0xc0 | (c >> 6);
      buf[at++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = text.charCodeAt(i + 1);
        if (c <= 0xdbff && (next & 0xfc00) === 0xdc00) {
          const point = 0x10000 + ((c & 0x3ff) << 10) + (next & 0x3ff);
          i++;
          buf[at++] = 0xf0 | (point >> 18);
          buf[at++] = 0x80 | ((point >> 12) & 0x3f);
          buf[at++] = 0x80 | ((point >> 6) & 0x3f);
          buf[at++] = 0x80 | (point & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      buf[at++] = 0xe0 | (c >> 12);
      buf[at++] = 0x80 | ((c >> 6) & 0x3f);
      buf[at++] = 0x80 | (c & 0x3f);
    }
  }
  return at;
}

/** The two 32-bit words of the int64 last split (module state: no object per call). */
let lowBits = 0;
let highBits = 0;

/** Two's complement words of `n` as protobufjs' `LongBits.fromNumber` makes them. */
function splitInt64(n: number): void {
  const negative = n < 0;
  if (negative) n = -n;
  let lo = n >>> 0;
  let hi = ((n - lo) / TWO_32) >>> 0;
  if (negative) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
    if (++lo > 0xffffffff) {
      lo = 0;
      if (++hi > 0xffffffff) hi = 0;
    }
  }
  lowBits = lo;
  highBits = hi;
}

function writeVarint64(buf: Uint8Array, at: number, lo: number, hi: number): number {
  while (hi !== 0) {
    buf[at++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  return writeVarint(buf, at, lo);
}
