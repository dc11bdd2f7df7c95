import { nodeBuiltin } from './node-builtin';

type GzipBytes = (bytes: Uint8Array) => Promise<Uint8Array>;
type GzipStream = (stream: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array>;

interface GzipOptions {
  readonly level: number;
}

interface NodeZlib {
  gzip(
    bytes: Uint8Array,
    options: GzipOptions,
    callback: (error: Error | null, result: Uint8Array) => void,
  ): void;
  createGzip(options: GzipOptions): unknown;
}

interface NodeStream {
  readonly Duplex: {
    toWeb(duplex: unknown): ReadableWritablePair<Uint8Array, Uint8Array>;
  };
  readonly PassThrough: new () => unknown;
}

/**
 * zlib's fastest level. Exposition pages are so repetitive that it compresses them as
 * well as the default level 6: measured on a 4.6 MB page of 100 000 counter series,
 * 264 269 bytes in 19 ms against 263 244 bytes in 51 ms (bench/README.md log). The
 * compression runs on the thread pool, beside the event loop, so on a small machine its
 * CPU is taken from the application.
 */
const GZIP_LEVEL = 1;

let chosenBytes: GzipBytes | undefined;
let chosenStream: GzipStream | undefined;

/**
 * Gzips a whole body. On Node, zlib's asynchronous gzip at `GZIP_LEVEL` (it runs on the
 * thread pool); measured on Node 20 it takes 3.7–4.6 ms for a 291 KB page where
 * `CompressionStream` takes 6.4–6.8 ms. Everywhere else (Bun, Deno, Workers, browsers)
 * `CompressionStream`, whose level cannot be chosen.
 */
export function gzipBytes(bytes: Uint8Array): Promise<Uint8Array> {
  chosenBytes ??= nodeZlibGzip() ?? compressionStreamGzip;
  return chosenBytes(bytes);
}

/**
 * Picks the gzip implementation now and, on Node, loads the modules it runs on (zlib, and
 * the adapter between Node and Web streams, which Node loads on its first use). A metrics
 * endpoint calls this when it is made, at start-up: loaded on the first scrape instead,
 * they took ~4–8 ms (zlib) and ~6–8 ms (the adapter) of one of its turns.
 */
export function prepareGzip(): void {
  chosenBytes ??= nodeZlibGzip() ?? compressionStreamGzip;
  chosenStream ??= nodeZlibGzipStream() ?? compressionStreamGzipStream;
}

/** Gzips a streamed body as it flows (on Node at `GZIP_LEVEL`). */
export function gzipStream(stream: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  chosenStream ??= nodeZlibGzipStream() ?? compressionStreamGzipStream;
  return chosenStream(stream);
}

function compressionStreamGzipStream(
  stream: ReadableStream<Uint8Array>,
): ReadableStream<Uint8Array> {
  return stream.pipeThrough(
    new CompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
  );
}

async function compressionStreamGzip(bytes: Uint8Array): Promise<Uint8Array> {
  const source = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();
  return new Uint8Array(await new Response(compressionStreamGzipStream(source)).arrayBuffer());
}

function nodeZlibGzip(): GzipBytes | undefined {
  const zlib = nodeBuiltin<NodeZlib>('node:zlib');
  if (typeof zlib?.gzip !== 'function') return undefined;
  const gzip = zlib.gzip.bind(zlib);
  const options = { level: GZIP_LEVEL };
  return (bytes) =>
    new Promise((resolve, reject) => {
      gzip(bytes, options, (error, result) => (error === null ? resolve(result) : reject(error)));
    });
}

function nodeZlibGzipStream(): GzipStream | undefined {
  const zlib = nodeBuiltin<NodeZlib>('node:zlib');
  const stream = nodeBuiltin<NodeStream>('node:stream');
  if (
    typeof zlib?.createGzip !== 'function' ||
    typeof stream?.Duplex?.toWeb !== 'function' ||
    typeof stream.PassThrough !== 'function'
  ) {
    return undefined;
  }
  const options = { level: GZIP_LEVEL };
  // Node loads the stream adapter module on the first `toWeb` call: make that call now.
  stream.Duplex.toWeb(new stream.PassThrough());
  return (source) => source.pipeThrough(stream.Duplex.toWeb(zlib.createGzip(options)));
}
