import { collectFamilies } from '../collect';
import { ConfigError } from '../errors';
import type { Collector, MetricFamily } from '../model';
import { isLazy, type SnapshotFamily } from '../snapshot';
import { type ExpositionFormat, negotiate } from './negotiate';
import { encodeOpenMetrics } from './openmetrics';
import { encodeProtobuf } from './protobuf';
import { encodeSlices, type Piece, SLICE_END, yieldToEventLoop } from './slices';
import { encodeText } from './text';

export interface Rendered {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly format: ExpositionFormat['name'];
}

/** A rendered page whose body is made while it is read. */
export interface RenderedStream {
  /** The page as UTF-8 / protobuf bytes, one chunk per slice. */
  readonly body: ReadableStream<Uint8Array>;
  /** Series (points) on the page: lets a server buffer a small page and stream a large one. */
  readonly points: number;
  readonly contentType: string;
  readonly format: ExpositionFormat['name'];
}

/** A collector that can give a snapshot whose large families make their points lazily. */
interface Snapshotting {
  snapshot?(): SnapshotFamily[] | Promise<SnapshotFamily[]>;
}

/** What a scrape encodes: a registry's snapshot, or any collector's families. */
async function snapshotOf(source: Collector): Promise<readonly SnapshotFamily[]> {
  const snapshot = (source as Snapshotting).snapshot;
  return typeof snapshot === 'function' ? snapshot.call(source) : collectFamilies(source);
}

/**
 * Collects `source` and encodes it in the format the `Accept` header asks for. A large
 * page is encoded in slices with the event loop let run in between, so a scrape never
 * blocks the process for long; concurrent scrapes of a registry share one snapshot.
 *
 * @example
 * const { body, contentType } = await render(REGISTRY, req.headers.accept);
 * res.setHeader('Content-Type', contentType).end(body);
 */
export async function render(source: Collector, accept?: string | null): Promise<Rendered> {
  const format = negotiate(accept);
  const families = await snapshotOf(source);
  const text: string[] = [];
  const bytes: Uint8Array[] = [];
  for (const piece of encodeSlices(families, format.name)) {
    if (piece === SLICE_END) await yieldToEventLoop();
    else if (typeof piece === 'string') text.push(piece);
    else bytes.push(piece);
  }
  return {
    body: format.name === 'protobuf' ? concatBytes(bytes) : text.join(''),
    contentType: format.contentType,
    format: format.name,
  };
}

/**
 * Like `render`, but the body is a stream made slice by slice as it is read, so a large
 * page is never held whole (nor next to a compressed copy). The snapshot is taken before
 * this resolves, so a store that is unavailable still rejects here, before any byte.
 *
 * @example
 * const { body, contentType } = await renderStream(REGISTRY, req.headers.accept);
 * res.setHeader('Content-Type', contentType);
 * Readable.fromWeb(body).pipe(res);
 */
export async function renderStream(
  source: Collector,
  accept?: string | null,
): Promise<RenderedStream> {
  const format = negotiate(accept);
  const families = await snapshotOf(source);
  let points = 0;
  for (const family of families) points += isLazy(family) ? family.size : family.points.length;
  return {
    body: sliceStream(encodeSlices(families, format.name)),
    points,
    contentType: format.contentType,
    format: format.name,
  };
}

/** One chunk per slice, made when the reader asks for it. */
function sliceStream(pieces: Generator<Piece, void, undefined>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const text: string[] = [];
        let enqueued = false;
        for (;;) {
          const next = pieces.next();
          if (next.done || next.value === SLICE_END) {
            if (text.length > 0) controller.enqueue(encoder.encode(text.join('')));
            if (next.done) controller.close();
            if (next.done || enqueued || text.length > 0) return;
          } else if (typeof next.value === 'string') {
            text.push(next.value);
          } else {
            // Bytes go out as they are: no copy into a bigger chunk.
            controller.enqueue(next.value);
            enqueued = true;
          }
        }
      },
      cancel() {
        pieces.return();
      },
    },
    { highWaterMark: 0 },
  );
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Encodes families in the named format: a string for the text formats, bytes for protobuf. */
export function encode(
  families: readonly MetricFamily[],
  formatName: ExpositionFormat['name'],
): string | Uint8Array {
  switch (formatName) {
    case 'text':
      return encodeText(families);
    case 'openmetrics':
      return encodeOpenMetrics(families);
    case 'protobuf':
      return encodeProtobuf(families);
    default:
      throw new ConfigError(`unknown exposition format ${JSON.stringify(formatName)}`);
  }
}
