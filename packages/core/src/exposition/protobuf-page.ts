const INITIAL_BYTES = 16 * 1024;

/**
 * A protobuf page being written: each slice of bytes is copied once, as it is appended,
 * into one growing buffer (a writer may then hand its reused scratch buffer to `append`,
 * and no array is made per slice only to be joined later). A family's `metric` fields
 * are appended first and its length-delimited start inserted before them once their
 * length is known (`open`, `close`: one move of the family's bytes within the buffer).
 *
 * Bytes are handed out as views of the buffer (`release`, `view`), and what was handed
 * out is never written again: a full buffer is replaced, not reused. A page that keeps
 * everything (`render`'s) copies all of it into the larger buffer, so `view` is the whole
 * page; one that streams copies only what is not handed out yet.
 */
export class ProtobufPage {
  private buf: Uint8Array;
  /** Bytes before this are handed out. */
  private released = 0;
  private end = 0;
  /** Where the open family's `metric` fields start, or -1. */
  private family = -1;

  /** `keep`: the whole page stays in one buffer (see `view`). */
  constructor(private readonly keep: boolean) {
    this.buf = new Uint8Array(INITIAL_BYTES);
  }

  /** Copies `bytes` to the end of the page; the caller may reuse them at once. */
  append(bytes: Uint8Array): void {
    const length = bytes.byteLength;
    if (this.end + length > this.buf.length) this.grow(length, true);
    this.buf.set(bytes, this.end);
    this.end += length;
  }

  /**
   * Makes room for `more` bytes after the end (a writer's estimate of what is still to
   * come), and an eighth more: a page grown by doubling alone would allocate and zero up
   * to twice its size, and hand out a body holding that.
   */
  reserve(more: number): void {
    if (this.end + more > this.buf.length) this.grow(more, false);
  }

  /** Starts a family: what is appended next is its `metric` fields. */
  open(): void {
    this.family = this.end;
  }

  /** Bytes appended since `open`. */
  get held(): number {
    return this.family === -1 ? 0 : this.end - this.family;
  }

  /** Ends the open family: inserts `start` (its length prefix and head) before its fields. */
  close(start: Uint8Array): void {
    const length = start.byteLength;
    if (this.end + length > this.buf.length) this.grow(length, true);
    // Read after `grow`, which moves the family when it drops what was handed out.
    const at = this.family;
    this.buf.copyWithin(at + length, at, this.end);
    this.buf.set(start, at);
    this.end += length;
    this.family = -1;
  }

  /** The next `length` bytes not handed out yet (none of an open family), as a view. */
  release(length: number): Uint8Array {
    const from = this.released;
    this.released = from + length;
    return this.buf.subarray(from, from + length);
  }

  /** The whole page as a view (a page that keeps everything, no family open). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.end);
  }

  /**
   * A larger buffer for `more` bytes, and as much again as it then holds (`double`) or an
   * eighth of that: the old one stays as it is for the views of it.
   */
  private grow(more: number, double: boolean): void {
    const from = this.keep ? 0 : this.released;
    const needed = this.end - from + more;
    const size = double ? 2 * needed : needed + (needed >>> 3);
    const grown = new Uint8Array(Math.max(size, INITIAL_BYTES));
    grown.set(this.buf.subarray(from, this.end));
    this.buf = grown;
    this.end -= from;
    this.released -= from;
    if (this.family !== -1) this.family -= from;
  }
}
