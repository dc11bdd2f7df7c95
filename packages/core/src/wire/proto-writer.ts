import { WireEncodingError } from '../errors';
import { keepShape } from '../keep-shape';
import {
  varintLength,
  writeDouble,
  writeInt64,
  writeSint64,
  writeString,
  writeVarint,
} from './bytes';

const INITIAL_SIZE = 256;

/**
 * Writes protobuf messages field by field into one growable buffer. Field tags are
 * written with `uint32((fieldNumber << 3) | wireType)`; a submessage is opened with
 * `fork()` and closed with `ldelim()`, which puts its length in front of it.
 *
 * @example
 * const w = new ProtoWriter();
 * w.uint32(0x0a).string('requests_total'); // field 1, length-delimited
 * w.uint32(0x12).fork(); // field 2: a submessage
 * w.uint32(0x09).double(42); // its field 1, a double
 * w.ldelim();
 * const bytes = w.finish();
 */
export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** Where the length byte of each open fork is. */
  private readonly forks: number[] = [];

  constructor(initialSize: number = INITIAL_SIZE) {
    this.buf = new Uint8Array(Math.max(16, initialSize));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  /** A varint of `n` as a uint32 (`n >>> 0`): field tags, lengths, enums, small counts. */
  uint32(n: number): this {
    this.reserve(5);
    this.pos = writeVarint(this.buf, this.pos, n >>> 0);
    return this;
  }

  /** An int32 varint: ten bytes when negative, as protobuf requires. */
  int32(n: number): this {
    return this.int64(n | 0);
  }

  /** A uint64 varint of an integer 0 ≤ n < 2^64 (exact up to 2^53, as any JS number). */
  uint64(n: number): this {
    return this.int64(n);
  }

  /** An int64 varint: ten bytes (two's complement) when negative. */
  int64(n: number): this {
    this.reserve(10);
    this.pos = writeInt64(this.buf, this.pos, n);
    return this;
  }

  /** A zigzag varint of an integer in int32 range (sint32). */
  sint32(n: number): this {
    return this.uint32((n << 1) ^ (n >> 31));
  }

  /** A zigzag varint (sint64). */
  sint64(n: number): this {
    this.reserve(10);
    this.pos = writeSint64(this.buf, this.pos, n);
    return this;
  }

  /** A double, 8 bytes little-endian (wire type 1). */
  double(value: number): this {
    this.reserve(8);
    this.pos = writeDouble(this.view, this.pos, value);
    return this;
  }

  /** A string: its UTF-8 length, then the bytes `TextEncoder` gives for it. */
  string(text: string): this {
    this.reserve(5 + 3 * text.length);
    this.pos = writeString(this.buf, this.pos, text);
    return this;
  }

  /** Bytes, length first. */
  bytes(value: Uint8Array): this {
    return this.uint32(value.length).raw(value);
  }

  /** Bytes as they are, no length: an already encoded field or message. */
  raw(value: Uint8Array): this {
    this.reserve(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Opens a submessage; `ldelim()` closes it and writes its length in front of it. */
  fork(): this {
    this.reserve(1);
    this.forks.push(this.pos++);
    return this;
  }

  /** Closes the submessage the last `fork()` opened. */
  ldelim(): this {
    const at = this.forks.pop();
    if (at === undefined) {
      throw new WireEncodingError(
        'ProtoWriter.ldelim() called without an open fork(): every ldelim() closes one fork()',
      );
    }
    const length = this.pos - at - 1;
    if (length < 0x80) {
      this.buf[at] = length;
      return this;
    }
    // One byte was reserved for the length: move the body up to make room for the rest.
    const extra = varintLength(length) - 1;
    this.reserve(extra);
    this.buf.copyWithin(at + 1 + extra, at + 1, this.pos);
    writeVarint(this.buf, at, length);
    this.pos += extra;
    return this;
  }

  /** A copy of the bytes written from `start` to `end`. */
  slice(start = 0, end: number = this.pos): Uint8Array {
    return this.buf.slice(start, Math.min(end, this.pos));
  }

  /** A copy of everything written. The writer keeps its buffer: `reset()` to reuse it. */
  finish(): Uint8Array {
    if (this.forks.length > 0) {
      throw new WireEncodingError(
        `ProtoWriter.finish() called with ${this.forks.length} fork() not closed by ldelim()`,
      );
    }
    return this.buf.slice(0, this.pos);
  }

  /** Empties the writer (and drops open forks), keeping its grown buffer. */
  reset(): this {
    this.pos = 0;
    this.forks.length = 0;
    return this;
  }

  private reserve(n: number): void {
    const needed = this.pos + n;
    if (needed <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(needed, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}

// Scrapes make a writer per slice and drop it (see keepShape).
keepShape(new ProtoWriter());
