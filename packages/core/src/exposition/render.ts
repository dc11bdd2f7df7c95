import { collectFamilies } from '../collect';
import { concatBytes } from '../concat-bytes';
import { ConfigError } from '../errors';
import type { Collector, MetricFamily } from '../model';
import { isLazy, materialize, type SnapshotFamily } from '../snapshot';
import type { NameValidation } from '../validate';
import { escapeFamilies } from './escape-families';
import type { EscapingScheme } from './name-escaping';
import { type ExpositionFormat, negotiate } from './negotiate';
import { encodeOpenMetrics } from './openmetrics';
import { encodeProtobuf } from './protobuf';
import { ProtobufPage } from './protobuf-page';
import { encodeSlices, type Piece, SLICE_END, TurnPacer, yieldToEventLoop } from './slices';
import { encodeText } from './text';

/** What `render` reads from a source besides its families, when it has them (a `Registry` does). */
interface NamingSource {
  /** `'utf8'` when names may lie outside the legacy set. */
  readonly nameValidation?: NameValidation;
  /** Told about names one scrape's escaping made equal. */
  reportNameCollision?(message: string): void;
}

/** How `encode` spells names. */
export interface EncodeOptions {
  /** The scrape's escaping scheme (`negotiate()` gives it). Default: names as they are. */
  readonly escaping?: EscapingScheme;
  /**
   * `'utf8'` when the families may hold names outside the legacy set, which are then
   * escaped (or quoted) for `escaping`. Default `'legacy'`: names are written as given.
   */
  readonly nameValidation?: NameValidation;
  /** Told about names the escaping made equal (the later one is left out). */
  readonly onNameCollision?: (message: string) => void;
  /**
   * `_created` samples in OpenMetrics text. Default false: Prometheus 2.x stores each one
   * as an extra series. Protobuf carries created timestamps as a field either way.
   */
  readonly openMetricsCreated?: boolean;
}

/** What a caller of `render` may choose; the scrape's Accept header decides the rest. */
export type RenderOptions = Pick<EncodeOptions, 'openMetricsCreated'>;

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
export async function render(
  source: Collector,
  accept?: string | null,
  renderOptions?: RenderOptions,
): Promise<Rendered> {
  const pacer = new TurnPacer();
  const format = negotiate(accept);
  const families = await snapshotOf(source);
  const text: string[] = [];
  // The whole page, in one buffer: its byte pieces are views of it.
  const page = format.name === 'protobuf' ? new ProtobufPage(true) : undefined;
  for (const piece of pageSlices(source, families, format, renderOptions, pacer, page)) {
    if (piece === SLICE_END) {
      if (pacer.due()) {
        await yieldToEventLoop();
        pacer.restart();
      }
    } else if (typeof piece === 'string') text.push(piece);
  }
  return {
    body: page !== undefined ? page.view() : text.join(''),
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
  renderOptions?: RenderOptions,
): Promise<RenderedStream> {
  const format = negotiate(accept);
  const families = await snapshotOf(source);
  let points = 0;
  for (const family of families) points += isLazy(family) ? family.size : family.points.length;
  const pacer = new TurnPacer();
  return {
    body: sliceStream(pageSlices(source, families, format, renderOptions, pacer), pacer),
    points,
    contentType: format.contentType,
    format: format.name,
  };
}

/**
 * The pieces of one page: names escaped as the scrape negotiated (a pass that needs the
 * points, so lazy families are made whole first — only for UTF-8 names or `dots`), in
 * slices `pacer` sizes.
 */
function pageSlices(
  source: Collector,
  families: readonly SnapshotFamily[],
  format: ExpositionFormat,
  renderOptions: RenderOptions | undefined,
  pacer: TurnPacer,
  page?: ProtobufPage,
): Generator<Piece, void, undefined> {
  const naming = source as Collector & NamingSource;
  const escaping = format.escaping;
  const named = needsEscaping(escaping, naming.nameValidation ?? 'legacy', format.name)
    ? escapeFamilies(families.map(materialize), escaping, format.name !== 'protobuf', (message) =>
        naming.reportNameCollision?.(message),
      )
    : families;
  return encodeSlices(
    named,
    format.name,
    { escaping, created: renderOptions?.openMetricsCreated === true },
    pacer,
    page,
  );
}

/**
 * A legacy source's names need no work, except that `dots` also doubles underscores.
 * Protobuf needs no quoting: under allow-utf-8 its names go out as they are.
 */
function needsEscaping(
  escaping: EscapingScheme | undefined,
  validation: NameValidation | undefined,
  formatName: ExpositionFormat['name'],
): escaping is EscapingScheme {
  return (
    escaping !== undefined &&
    (validation === 'utf8' || escaping === 'dots') &&
    !(escaping === 'allow-utf-8' && formatName === 'protobuf')
  );
}

/**
 * One chunk per turn (see `TurnPacer`), made when the reader asks for it, with the event
 * loop let run before every turn: readers pull the next chunk from a promise callback (a
 * pipe to a socket that takes every write does so at once), so waiting for the reader
 * would never let I/O in, and the first turn would run on in the stretch that took the
 * snapshot. A turn that ends with nothing to send (a protobuf family is held until its
 * length is known) is followed by another. A turn's protobuf slices go out as one chunk,
 * a view of the page when they are adjacent in it (not copied).
 */
function sliceStream(
  pieces: Generator<Piece, void, undefined>,
  pacer: TurnPacer,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          await yieldToEventLoop();
          pacer.restart();
          const text: string[] = [];
          const bytes: Uint8Array[] = [];
          let next = pieces.next();
          for (; !next.done; next = pieces.next()) {
            const piece = next.value;
            if (piece === SLICE_END) {
              if (pacer.due()) break;
            } else if (typeof piece === 'string') text.push(piece);
            else bytes.push(piece);
          }
          if (text.length > 0) controller.enqueue(encoder.encode(text.join('')));
          // One chunk per turn: every chunk is a write (and, gzipped, a trip through zlib's
          // thread pool) of its own. Adjacent views of the page join without a copy.
          if (bytes.length > 0) controller.enqueue(concatBytes(bytes));
          if (next.done) {
            controller.close();
            return;
          }
          if (text.length > 0 || bytes.length > 0) return;
        }
      },
      cancel() {
        pieces.return();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Encodes families in the named format: a string for the text formats, bytes for protobuf. */
export function encode(
  families: readonly MetricFamily[],
  formatName: ExpositionFormat['name'],
  options: EncodeOptions = {},
): string | Uint8Array {
  const escaping = options.escaping;
  const named = needsEscaping(escaping, options.nameValidation, formatName)
    ? escapeFamilies(
        families,
        escaping,
        formatName !== 'protobuf',
        options.onNameCollision ?? (() => {}),
      )
    : families;
  switch (formatName) {
    case 'text':
      return encodeText(named, { escaping });
    case 'openmetrics':
      return encodeOpenMetrics(named, { escaping, created: options.openMetricsCreated === true });
    case 'protobuf':
      return encodeProtobuf(named);
    default:
      throw new ConfigError(`unknown exposition format ${JSON.stringify(formatName)}`);
  }
}
