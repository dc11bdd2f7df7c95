import type { RequestTracker } from '@promkit/core/http';

/**
 * Passes a response body through and tells the tracker when the last chunk has been
 * taken (the end of the response) or the reader cancelled (the client went away). One
 * instance per streamed response; no closures.
 */
export class TimedBody implements UnderlyingDefaultSource<Uint8Array> {
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

  constructor(
    private readonly source: ReadableStream<Uint8Array>,
    private readonly tracker: RequestTracker<unknown, unknown>,
    private readonly status: number,
  ) {}

  start(): void {
    this.reader = this.source.getReader();
  }

  async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await this.reader!.read();
    } catch (error) {
      this.tracker.exception(error);
      this.tracker.end(this.status);
      throw error;
    }
    if (chunk.done) {
      this.tracker.end(this.status);
      controller.close();
    } else {
      controller.enqueue(chunk.value);
    }
  }

  cancel(reason: unknown): Promise<void> {
    this.tracker.aborted();
    return this.reader!.cancel(reason);
  }
}
