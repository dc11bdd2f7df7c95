import type { MetricFamily } from '../model';
import { columnsOf, isLazy, type SnapshotFamily } from '../snapshot';
import { type EscapingScheme, quotesName } from './name-escaping';
import type { ExpositionFormat } from './negotiate';
import {
  OPENMETRICS_EOF,
  openMetricsColumnSamples,
  openMetricsHeader,
  openMetricsSamples,
} from './openmetrics';
import { protobufFamilyStart, protobufMetrics } from './protobuf';
import { protobufColumnMetrics } from './protobuf-columns';
import { ProtobufPage } from './protobuf-page';
import { textColumnSamples, textHeader, textSamples } from './text';

/**
 * Samples (exposition lines) in a slice, between two points where a scrape may yield to
 * the event loop, to begin with and after a slow slice: well under a millisecond of warm
 * code, a few ms on a first (cold) scrape.
 */
export const SLICE_SAMPLES = 256;

/**
 * Most samples a slice grows to while slices run fast. Each slice is a string of its own
 * (and a piece of the page to join); fewer, longer ones cost less per line. Kept well under
 * 128 KiB of text (~64 characters a line): a longer string is allocated in V8's
 * large-object space, a fresh mapping whose pages fault in, which measured slower.
 */
export const MAX_SLICE_SAMPLES = 1024;

/**
 * A slice doubles (up to `MAX_SLICE_SAMPLES`) after one that took less than this (ms), and
 * halves (down to `SLICE_SAMPLES`) after one that took more than four times as long, so
 * the clock is still read every fraction of a millisecond.
 */
export const FAST_SLICE_MS = 0.125;

/**
 * A scrape yields once it has run this long without a break (ms)… Small, because a turn
 * also pays for what runs after it (handing the chunk to gzip and the socket) and a GC
 * pause can land in it: measured at 100 000 series over HTTP, a 4 ms budget gave gaps of
 * 6.5–10 ms between two ticks of the event loop.
 */
export const TURN_BUDGET_MS = 2;

/**
 * …or once it has encoded this many samples, whatever the clock says: on Workers the
 * clock stands still while code runs, and on a warm core this is ~1–2 ms of work.
 */
export const TURN_SAMPLES = 8192;

type Clock = () => number;

const monotonicNow: Clock =
  typeof globalThis.performance?.now === 'function'
    ? () => globalThis.performance.now()
    : () => Date.now();

/** How many samples the next slice holds: fixed, or chosen slice by slice (a `TurnPacer`). */
export interface SliceSizer {
  readonly sliceSamples: number;
}

/**
 * Decides, at each slice end, whether a scrape has held the event loop long enough: a
 * time budget (so a cold first scrape, or a slow collector's family, still yields
 * often) with a sample cap as the fallback where time does not move. It also sizes the
 * slices: longer while they run fast, back to `SLICE_SAMPLES` when they do not.
 */
export class TurnPacer implements SliceSizer {
  /** Samples the slice being encoded may hold (read by `encodeSlices` as it starts one). */
  sliceSamples: number;
  private startedAt: number;
  private sliceStartedAt: number;
  private samples = 0;

  constructor(
    private readonly now: Clock = monotonicNow,
    private readonly budgetMs: number = TURN_BUDGET_MS,
    private readonly turnSamples: number = TURN_SAMPLES,
    private readonly minSlice: number = SLICE_SAMPLES,
    private readonly maxSlice: number = MAX_SLICE_SAMPLES,
  ) {
    this.startedAt = this.sliceStartedAt = now();
    this.sliceSamples = minSlice;
  }

  /** At a slice end: whether to yield now. Sizes the next slice by how long this one took. */
  due(): boolean {
    const now = this.now();
    const took = now - this.sliceStartedAt;
    this.sliceStartedAt = now;
    // A slice holds at least the samples it was given (one point may exceed them alone).
    this.samples += this.sliceSamples;
    if (took < FAST_SLICE_MS) {
      this.sliceSamples = Math.min(this.maxSlice, this.sliceSamples * 2);
    } else if (took > 4 * FAST_SLICE_MS) {
      this.sliceSamples = Math.max(this.minSlice, this.sliceSamples / 2);
    }
    return this.samples >= this.turnSamples || now - this.startedAt >= this.budgetMs;
  }

  /** A new turn starts (after the event loop ran). Slices keep the size they reached. */
  restart(): void {
    this.startedAt = this.sliceStartedAt = this.now();
    this.samples = 0;
  }
}

/** Marks the end of a slice: the renderer yields to the event loop here. */
export const SLICE_END: unique symbol = Symbol('promkit.slice-end');

/** A piece of a page (text or bytes, in order), or a slice boundary. */
export type Piece = string | Uint8Array | typeof SLICE_END;

/** How the sliced writers spell a page (as `encode`'s options, names already escaped). */
export interface SliceOptions {
  /** The scrape's escaping scheme: under `allow-utf-8` non-legacy names are quoted. */
  readonly escaping?: EscapingScheme;
  /** `_created` samples in OpenMetrics text. */
  readonly created?: boolean;
}

/**
 * Encodes a snapshot in `format`, piece by piece, with a `SLICE_END` after at most
 * `sizer.sliceSamples` samples' worth of work (one point can exceed it alone: a histogram
 * with more buckets than that), read as each slice starts: a `TurnPacer` sizes them as
 * they go. Lazy families make their points one slice at a time, so only
 * one slice of point objects is alive at once. Protobuf needs a family's length before
 * its bytes: a family's slices are copied into `page` as they are written and handed on
 * (as views of it, never written again) once the family is done. `page` defaults to one
 * that keeps only what is not handed on yet; `render` passes one that keeps the page whole.
 */
export function* encodeSlices(
  families: readonly SnapshotFamily[],
  format: ExpositionFormat['name'],
  options: SliceOptions = {},
  sizer: number | SliceSizer = SLICE_SAMPLES,
  page?: ProtobufPage,
): Generator<Piece, void, undefined> {
  const sizes = typeof sizer === 'number' ? { sliceSamples: sizer } : sizer;
  const created = options.created === true;
  const bytes = format === 'protobuf' ? (page ?? new ProtobufPage(false)) : undefined;
  let left = sizes.sliceSamples;
  for (const family of families) {
    const head = isLazy(family) ? family.head : family;
    const size = isLazy(family) ? family.size : family.points.length;
    if (format === 'protobuf' && size === 0) continue;
    const weight =
      (isLazy(family) ? (family.samplesPerPoint ?? 1) : samplesPerPoint(family)) +
      extraSamples(head, format, created);
    const q = format !== 'protobuf' && quotesName(head.name, options.escaping);
    if (format === 'text') yield textHeader(head, q);
    else if (format === 'openmetrics') yield openMetricsHeader(head, q);
    const held: number[] = [];
    bytes?.open();
    for (let from = 0; from < size; ) {
      const take = Math.min(size - from, Math.max(1, Math.floor(left / weight)));
      const piece = encodePoints(family, head, from, from + take, format, q, created);
      if (typeof piece === 'string') yield piece;
      else {
        // Copied at once: a writer may hand out its reused buffer.
        bytes!.append(piece);
        held.push(piece.byteLength);
        if (from + take < size) reserveRest(bytes!, from + take, size);
      }
      from += take;
      left -= take * weight;
      if (left <= 0) {
        yield SLICE_END;
        left = sizes.sliceSamples;
      }
    }
    if (bytes !== undefined) {
      const start = protobufFamilyStart(head, bytes.held);
      bytes.close(start);
      // A slice boundary after each held slice, so a large family's bytes go out over
      // several turns instead of in one.
      let extra = start.byteLength;
      for (const length of held) {
        yield bytes.release(extra + length);
        yield SLICE_END;
        extra = 0;
      }
    }
  }
  if (format === 'openmetrics') yield OPENMETRICS_EOF;
}

/**
 * Room in `page` for the rest of a family of `size` points of which `done` are written,
 * at the bytes per point so far, and for the family's start.
 */
function reserveRest(page: ProtobufPage, done: number, size: number): void {
  page.reserve(Math.ceil((page.held / done) * (size - done)) + 1024);
}

/**
 * Points `from`..`to` of a family in `format`. Counters and gauges of a snapshot come
 * as columns: their lines are written from those, without point objects.
 */
function encodePoints(
  family: SnapshotFamily,
  head: MetricFamily,
  from: number,
  to: number,
  format: ExpositionFormat['name'],
  q: boolean,
  created: boolean,
): string | Uint8Array {
  const columns = isLazy(family) ? columnsOf(family) : undefined;
  if (columns !== undefined) {
    if (format === 'text') return textColumnSamples(head, columns, from, to, q);
    if (format === 'openmetrics')
      return openMetricsColumnSamples(head, columns, from, to, q, created);
    return protobufColumnMetrics(head.type, columns, from, to);
  }
  const points = isLazy(family)
    ? family.points(from, to)
    : from === 0 && to === family.points.length
      ? family.points
      : family.points.slice(from, to);
  // A literal, not a spread: a spread's map is made per source map and dies at a full GC
  // with the slices that used it (see keepShape), and the writers' map checks then fail.
  const slice = {
    name: head.name,
    help: head.help,
    type: head.type,
    unit: head.unit,
    points,
  } as MetricFamily;
  if (format === 'text') return textSamples(slice, q);
  if (format === 'openmetrics') return openMetricsSamples(slice, q, created);
  return protobufMetrics(slice);
}

/** OpenMetrics (when asked) adds a `_created` sample to counters, histograms and summaries. */
function extraSamples(
  family: MetricFamily,
  format: ExpositionFormat['name'],
  created: boolean,
): number {
  if (format !== 'openmetrics' || !created) return 0;
  return family.type === 'counter' || family.type === 'histogram' || family.type === 'summary'
    ? 1
    : 0;
}

/** Samples one point of `family` writes, judged by its first point. */
function samplesPerPoint(family: MetricFamily): number {
  const first = family.points[0];
  if (first === undefined) return 1;
  if (family.type === 'histogram') {
    const value = (first as { value: { counts: ArrayLike<number>; native?: unknown } }).value;
    return value.counts.length + 2 + (value.native === undefined ? 0 : 8);
  }
  if (family.type === 'summary') {
    return (first as { value: { quantiles: readonly unknown[] } }).value.quantiles.length + 2;
  }
  return 1;
}

type Immediate = (callback: () => void) => unknown;

/**
 * Lets the event loop run (I/O, timers, other requests) before the caller continues:
 * `setImmediate` where the runtime has it (after pending I/O), else `setTimeout(0)`.
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: Immediate }).setImmediate;
  return new Promise((resolve) => {
    if (typeof immediate === 'function') immediate(resolve);
    else setTimeout(resolve, 0);
  });
}
