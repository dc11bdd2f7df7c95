import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipBytes, gzipStream } from '../src/http/gzip';

const page = new TextEncoder().encode('metric_total{path="/x"} 1\n'.repeat(500));

describe('gzip', () => {
  it('gzips a whole body and a stream (zlib on Node) to the same bytes once unpacked', async () => {
    const whole = await gzipBytes(page);
    expect(whole.byteLength).toBeLessThan(page.byteLength / 10);
    expect(new Uint8Array(gunzipSync(whole))).toEqual(page);
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(page.subarray(0, 1000));
        controller.enqueue(page.subarray(1000));
        controller.close();
      },
    });
    const streamed = new Uint8Array(await new Response(gzipStream(source)).arrayBuffer());
    expect(new Uint8Array(gunzipSync(streamed))).toEqual(page);
  });

  it("uses zlib's fastest level on Node, whole and streamed (gzip header XFL = 4)", async () => {
    // RFC 1952: XFL (byte 8) is 4 when the compressor used its fastest algorithm, 0 at
    // zlib's default level.
    const whole = await gzipBytes(page);
    const streamed = new Uint8Array(
      await new Response(gzipStream(new Blob([page]).stream())).arrayBuffer(),
    );
    expect([whole[8], streamed[8]]).toEqual([4, 4]);
  });
});
