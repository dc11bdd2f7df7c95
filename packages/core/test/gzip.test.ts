import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipBytes, gzipStream } from '../src/http/gzip';

const page = new TextEncoder().encode('metric_total{path="/x"} 1\n'.repeat(500));

describe('gzip', () => {
  it('gzips a whole body (zlib on Node) and a stream (CompressionStream) to the same bytes once unpacked', async () => {
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
});
