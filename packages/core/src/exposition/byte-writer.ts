const encoder = new TextEncoder();
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const TWO_32 = 4294967296;

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

/** Bytes a protobuf int64 varint of the integer `n` takes: ten when negative (two's complement). */
export function int64Length(n: number): number {
  return n < 0 ? 10 : varintLength(n);
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
 * Writes protobuf wire bytes into one buffer that grows as needed: a binary page made
 * without an object per field (protobufjs' Writer keeps a linked list of operations).
 * A submessage's length is filled in when it ends (`begin`/`end`), in the one byte left
 * for it unless the message turned out longer than 127 bytes.
 */
export class ByteWriter {
  buf = new Uint8Array(1 << 16);
  len = 0;

  /** Room for `n` more bytes. */
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.len + n, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  /** A varint of an integer 0 ≤ n < 2^53. */
  varint(n: number): void {
    this.reserve(10);
    const buf = this.buf;
    let at = this.len;
    while (n >= 0x80) {
      buf[at++] = (n & 0x7f) | 0x80;
      n = n < TWO_32 ? n >>> 7 : Math.floor(n / 0x80);
    }
    buf[at++] = n;
    this.len = at;
  }

  /** An int64 varint of an integer with |n| < 2^53 (ten bytes when negative). */
  int64(n: number): void {
    if (n >= 0) {
      this.varint(n);
      return;
    }
    this.reserve(10);
    const buf = this.buf;
    let at = this.len;
    let lo = n >>> 0;
    let hi = Math.floor(n / TWO_32) >>> 0;
    while (hi !== 0 || lo > 0x7f) {
      buf[at++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[at++] = lo;
    this.len = at;
  }

  /** A little-endian double. */
  double(value: number): void {
    this.reserve(8);
    f64[0] = value;
    const buf = this.buf;
    const at = this.len;
    if (LITTLE_ENDIAN) {
      for (let i = 0; i < 8; i++) buf[at + i] = f64Bytes[i]!;
    } else {
      for (let i = 0; i < 8; i++) buf[at + i] = f64Bytes[7 - i]!;
    }
    this.len = at + 8;
  }

  /** A length-delimited field (`tag`, length, UTF-8 bytes) of a well-formed string. */
  string(tag: number, text: string): void {
    const n = text.length;
    this.reserve(6 + 3 * n);
    const buf = this.buf;
    const at = this.len;
    buf[at] = tag;
    if (n < 0x80) {
      // Short and ASCII (nearly always): one pass, the length is the character count.
      let i = 0;
      for (; i < n; i++) {
        const c = text.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + 2 + i] = c;
      }
      if (i === n) {
        buf[at + 1] = n;
        this.len = at + 2 + n;
        return;
      }
    }
    const bytes = utf8Length(text);
    this.len = at + 1;
    this.varint(bytes);
    encoder.encodeInto(text, this.buf.subarray(this.len, this.len + bytes));
    this.len += bytes;
  }

  /**
   * Starts a submessage whose length is not known yet: leaves one byte for it, which
   * `end` fills (moving the body when the length needs more than one byte).
   */
  begin(): number {
    this.reserve(1);
    return this.len++;
  }

  /** Ends the submessage `begin` returned `at` for. */
  end(at: number): void {
    const length = this.len - at - 1;
    if (length < 0x80) {
      this.buf[at] = length;
      return;
    }
    const extra = varintLength(length) - 1;
    this.reserve(extra);
    this.buf.copyWithin(at + 1 + extra, at + 1, this.len);
    const end = this.len + extra;
    this.len = at;
    this.varint(length);
    this.len = end;
  }

  /** The bytes written since `reset`, copied (the buffer is reused). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  reset(): void {
    this.len = 0;
  }
}
