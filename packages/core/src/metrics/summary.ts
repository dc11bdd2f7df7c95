import { epochSeconds, monotonicSeconds } from '../clock';
import { ConfigError } from '../errors';
import type { LabelArgs, LabelValues, ValueArgs } from '../labels';
import type { Labels, Quantile, SummaryFamily, SummaryPoint } from '../model';
import type { LazyFamily } from '../snapshot';
import { CkmsStream, type Invariant } from './ckms';
import { doubles, grownDoubles } from './doubles';
import { type MetricOptions, ObjectMetric } from './metric';
import { SummaryReads } from './summary-reads';
import { childValueError, valueArgsError } from './value-args';

/** aioprometheus' default targets: median ±5 %, p90 ±1 %, p99 ±0.1 % (rank error). */
export const DEFAULT_INVARIANTS: readonly Invariant[] = Object.freeze([
  [0.5, 0.05],
  [0.9, 0.01],
  [0.99, 0.001],
] as const);

export interface SummaryOptions<N extends string = string> extends MetricOptions<N> {
  /** `[quantile, allowed rank error]` pairs. Default `DEFAULT_INVARIANTS`; `[]` exposes only count and sum. */
  readonly invariants?: readonly Invariant[];
  /** Quantiles over the last `maxAgeSeconds` only (count and sum stay cumulative). Default: all time. */
  readonly maxAgeSeconds?: number;
  /** How many overlapping streams make the sliding window. Default 5. */
  readonly ageBuckets?: number;
}

/** Observations buffered before a sorted merge into the quantile streams. */
const BUFFER_SIZE = 512;
/**
 * A new series' buffer; it grows ×4 up to `BUFFER_SIZE` as observations come. A series
 * that sees a few observations between scrapes (most of them, with many series) keeps
 * 128 B instead of 4 KB.
 */
const FIRST_BUFFER_SIZE = 16;

/**
 * Where a series' buffered observations are sorted before a merge: a typed array sorts
 * numbers natively, a plain array only through a comparator. One for every series (a
 * merge runs to completion before the next starts).
 */
const sortScratch = new Float64Array(BUFFER_SIZE);

interface WindowConfig {
  readonly invariants: readonly Invariant[];
  /** Seconds each stream lives before it is cleared; Infinity for an all-time summary. */
  readonly rotateSeconds: number;
  readonly streams: number;
}

/** A bound summary series: what `summary.labels({...})` returns. */
export class SummaryChild {
  /**
   * Set when the series expired (`ttlSeconds`): updates go to the live series of the same
   * labels, found (or re-created) by this function.
   */
  private revive: (() => SummaryChild) | undefined = undefined;
  private forward: SummaryChild | undefined = undefined;

  /** Called by the metric when this series expired. */
  expire(revive: () => SummaryChild): void {
    this.revive = revive;
  }

  private live(revive: () => SummaryChild): SummaryChild {
    let forward = this.forward;
    if (forward === undefined || forward.revive !== undefined) {
      forward = revive();
      this.forward = forward;
    }
    return forward;
  }

  count = 0;
  sum = 0;
  created: number = epochSeconds();
  /**
   * Observations not yet merged: `doubles`, not a `Float64Array`, which would cost ~140 B
   * more per series (313 against 176 B for the first 16), sorted in `sortScratch`.
   */
  private buffer: number[] = doubles(FIRST_BUFFER_SIZE);
  private buffered = 0;
  private readonly streams: CkmsStream[];
  private head = 0;
  private headExpires: number;

  constructor(
    readonly metric: string,
    private readonly config: WindowConfig,
  ) {
    this.streams = [];
    if (config.invariants.length > 0) {
      // Every stream holds the same (nothing) until the first rotation: one object for all.
      const stream = new CkmsStream(config.invariants);
      for (let i = 0; i < config.streams; i++) this.streams.push(stream);
    }
    this.headExpires = monotonicSeconds() + config.rotateSeconds;
  }

  /** Records one observation. NaN and non-numbers throw. */
  observe(value: number): void {
    if (this.revive !== undefined) {
      this.live(this.revive).observe(value);
      return;
    }
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw childValueError(
        'Summary',
        this.metric,
        'observe',
        'value must be a number (not NaN)',
        value,
      );
    }
    this.count += 1;
    this.sum += value;
    if (this.streams.length === 0) return;
    this.buffer[this.buffered++] = value;
    if (this.buffered === this.buffer.length) this.full();
  }

  startTimer(): () => number {
    const start = monotonicSeconds();
    return () => {
      const elapsed = monotonicSeconds() - start;
      this.observe(elapsed);
      return elapsed;
    };
  }

  /** Current quantile estimates, in the order of the invariants. */
  quantiles(): Quantile[] {
    if (this.streams.length === 0) return [];
    this.flush();
    const stream = this.streams[this.head]!;
    return this.config.invariants.map(([q]) => ({ quantile: q, value: stream.query(q) }));
  }

  /** The buffer is full: grow it, or merge it once it has its full size. */
  private full(): void {
    const buffer = this.buffer;
    if (buffer.length < BUFFER_SIZE) {
      this.buffer = grownDoubles(buffer, Math.min(buffer.length * 4, BUFFER_SIZE));
    } else {
      this.flush();
    }
  }

  private flush(): void {
    this.rotate();
    if (this.buffered === 0) return;
    const count = this.buffered;
    const buffer = this.buffer;
    for (let i = 0; i < count; i++) sortScratch[i] = buffer[i]!;
    const sorted = sortScratch.subarray(0, count).sort();
    const streams = this.streams;
    for (let i = 0; i < streams.length; i++) {
      const stream = streams[i]!;
      if (!holds(streams, stream, i)) stream.insertSorted(sorted, count);
    }
    this.buffered = 0;
  }

  /** Clears streams whose window has passed; the next oldest becomes the head. */
  private rotate(): void {
    if (this.config.rotateSeconds === Number.POSITIVE_INFINITY) return;
    const now = monotonicSeconds();
    let steps = 0;
    while (now > this.headExpires && steps < this.streams.length) {
      this.clearHead();
      this.head = (this.head + 1) % this.streams.length;
      this.headExpires += this.config.rotateSeconds;
      steps++;
    }
    if (now > this.headExpires) this.headExpires = now + this.config.rotateSeconds;
  }

  /**
   * Empties the head stream, about to become the newest. Streams with the same contents
   * share one object (all of them, until a series' first rotation; streams cleared with no
   * observation between), so a series that is young or idle keeps one stream, not one per
   * age bucket: a shared head is replaced rather than cleared, and an empty newest stream
   * is shared rather than another made. Nothing is approximated: a shared object takes
   * exactly the batches each of its streams would have.
   */
  private clearHead(): void {
    const streams = this.streams;
    const head = streams[this.head]!;
    // The head has every observation the others have: empty, they all are.
    if (head.n === 0) return;
    const newest = streams[(this.head + streams.length - 1) % streams.length]!;
    if (newest.n === 0) {
      streams[this.head] = newest;
    } else if (holds(streams, head, streams.length, this.head)) {
      streams[this.head] = new CkmsStream(this.config.invariants);
    } else {
      head.reset();
    }
  }
}

/** Whether any of `streams[0..end)`, slot `except` aside, is `stream`. */
function holds(
  streams: readonly CkmsStream[],
  stream: CkmsStream,
  end: number,
  except = -1,
): boolean {
  for (let i = 0; i < end; i++) if (i !== except && streams[i] === stream) return true;
  return false;
}

function resolveWindow<N extends string>(name: string, options?: SummaryOptions<N>): WindowConfig {
  const invariants = options?.invariants ?? DEFAULT_INVARIANTS;
  if (!Array.isArray(invariants)) {
    throw new ConfigError(
      `Summary "${name}": invariants must be an array of [quantile, error] pairs`,
    );
  }
  for (const pair of invariants) {
    const [q, e] = Array.isArray(pair) ? pair : [Number.NaN, Number.NaN];
    if (!(q > 0 && q < 1)) {
      throw new ConfigError(
        `Summary "${name}": quantile must be between 0 and 1 (exclusive), got ${q}`,
      );
    }
    if (!(e > 0 && e < 1)) {
      throw new ConfigError(
        `Summary "${name}": error for quantile ${q} must be between 0 and 1 (exclusive), got ${e}`,
      );
    }
  }
  const maxAge = options?.maxAgeSeconds;
  const ageBuckets = options?.ageBuckets ?? 5;
  if (maxAge !== undefined && !(maxAge > 0 && Number.isFinite(maxAge))) {
    throw new ConfigError(
      `Summary "${name}": maxAgeSeconds must be a finite number > 0, got ${maxAge}`,
    );
  }
  if (!(Number.isInteger(ageBuckets) && ageBuckets >= 1)) {
    throw new ConfigError(
      `Summary "${name}": ageBuckets must be an integer ≥ 1, got ${ageBuckets}`,
    );
  }
  const sorted = [...invariants].sort((a, b) => a[0] - b[0]);
  return maxAge === undefined
    ? { invariants: sorted, rotateSeconds: Number.POSITIVE_INFINITY, streams: 1 }
    : { invariants: sorted, rotateSeconds: maxAge / ageBuckets, streams: ageBuckets };
}

/**
 * Streaming quantiles (CKMS targeted, exact to their error bounds) plus count and sum.
 *
 * @example
 * const size = new Summary('response_size_bytes', 'Body sizes.', { maxAgeSeconds: 600 });
 * size.observe(512);
 */
export class Summary<N extends string = string> extends ObjectMetric<N, SummaryChild> {
  readonly type = 'summary' as const;
  private readonly window: WindowConfig;

  constructor(name: string, help: string, options?: SummaryOptions<N>) {
    super(name, help, options, ['quantile']);
    this.window = resolveWindow(name, options);
    this.ready();
  }

  protected createSeries(): SummaryChild {
    return new SummaryChild(this.name, this.window);
  }

  observe(...args: ValueArgs<N>): void;
  observe(labels?: LabelValues<N> | number, value?: number): void {
    if (typeof labels === 'number') {
      value = labels;
      labels = undefined;
    } else if (typeof value !== 'number') {
      throw valueArgsError('Summary', this.name, 'observe', labels, value);
    }
    this.seriesFor(labels).observe(value);
  }

  startTimer(...args: LabelArgs<N>): () => number;
  startTimer(labels?: LabelValues<N>): () => number {
    return this.seriesFor(labels).startTimer();
  }

  get(...args: LabelArgs<N>): SummaryReading | undefined;
  get(labels?: LabelValues<N>): SummaryReading | undefined {
    const s = this.peek(labels);
    return s === undefined ? undefined : { count: s.count, sum: s.sum, quantiles: s.quantiles() };
  }

  getAll(): Array<{ labels: Labels; value: SummaryReading }> {
    const out: Array<{ labels: Labels; value: SummaryReading }> = [];
    this.eachObject((s, labels) =>
      out.push({ labels, value: { count: s.count, sum: s.sum, quantiles: s.quantiles() } }),
    );
    return out;
  }

  /**
   * A lazy family over the series live now. Each series is read (count, sum, quantiles)
   * when the scrape's slice reaches it, a few milliseconds later at most, so computing
   * quantiles never blocks the event loop for the whole family at once.
   */
  override snapshotFamily(): LazyFamily {
    return this.lazyFamily(
      'summary',
      () =>
        new SummaryReads(
          this.seriesSlots().slice(),
          this.window.invariants.map(([q]) => q),
        ),
      (reads, index, labels, labelText): SummaryPoint => ({
        labels,
        labelText,
        created: reads.createdOf(index),
        value: reads.valueOf(index),
      }),
      // _sum, _count and one sample per quantile; merging a series' buffered observations
      // weighs about as much as writing a few more samples.
      this.window.invariants.length + 2 + (this.window.invariants.length === 0 ? 0 : 4),
    );
  }

  collect(): SummaryFamily {
    const points: SummaryPoint[] = [];
    this.eachObject((s, labels, labelText) => {
      points.push({
        labels,
        labelText,
        created: s.created,
        value: { count: s.count, sum: s.sum, quantiles: s.quantiles() },
      });
    });
    return this.snapshot('summary', points);
  }
}

export interface SummaryReading {
  readonly count: number;
  readonly sum: number;
  readonly quantiles: readonly Quantile[];
}
