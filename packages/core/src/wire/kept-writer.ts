import { describeValue } from '../describe-value';
import { ConfigError } from '../errors';
import { ProtoWriter } from './proto-writer';

/** Past this many bytes written, a writer's buffer is not kept for the next message. */
const MAX_KEPT_BYTES = 8 * 1024 * 1024;

/**
 * One `ProtoWriter` kept from one message to the next (encoding is synchronous), so its
 * buffer stays grown instead of growing again for every message. A writer whose `write`
 * threw is dropped, and so is one that wrote more than `maxKeptBytes`, so that one huge
 * message does not pin its buffer. Keep one per encoder.
 *
 * @example
 * const requests = new KeptProtoWriter();
 * const body = requests.encode((w) => w.uint32(0x0a).string('requests_total'));
 */
export class KeptProtoWriter {
  private kept: ProtoWriter | undefined;

  private readonly maxKeptBytes: number;

  /** `maxKeptBytes`: a number ≥ 0 (`Infinity` keeps every writer); default 8 MiB. */
  constructor(maxKeptBytes: number = MAX_KEPT_BYTES) {
    if (typeof maxKeptBytes !== 'number' || !(maxKeptBytes >= 0)) {
      throw new ConfigError(
        `KeptProtoWriter: maxKeptBytes must be a number ≥ 0, got ${describeValue(maxKeptBytes)}`,
      );
    }
    this.maxKeptBytes = maxKeptBytes;
  }

  /** Runs `write` on the kept writer (or a new one) and returns a copy of what it wrote. */
  encode(write: (writer: ProtoWriter) => void): Uint8Array {
    const writer = this.kept ?? new ProtoWriter();
    this.kept = undefined;
    writer.reset();
    write(writer);
    const body = writer.finish();
    if (writer.length <= this.maxKeptBytes) this.kept = writer;
    return body;
  }
}
