import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

// Loading zlib and Node's Web-stream adapter took 10–15 ms inside the first scrape's
// turns; the endpoint loads them when it is made. Runs the built dist/ in a fresh process.
describe('gzip modules', () => {
  it('are loaded when a metrics endpoint is made, not by its first (streamed) gzip scrape', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/gzip-modules-at-start.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [fixture]);
    const seen = JSON.parse(stdout) as {
      status: number;
      encoding: string;
      streamed: boolean;
      lines: number;
      whileMaking: string[];
      whileScraping: string[];
    };
    expect(seen).toMatchObject({ status: 200, encoding: 'gzip', streamed: true, lines: 20_000 });
    expect(seen.whileMaking).toContain('NativeModule zlib');
    expect(seen.whileMaking).toContain('NativeModule internal/webstreams/adapters');
    expect(seen.whileScraping.filter((m) => m.startsWith('NativeModule '))).toEqual([]);
  });
});
