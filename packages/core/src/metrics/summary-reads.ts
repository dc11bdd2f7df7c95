import { keepShape } from '../keep-shape';
import type { Quantile, SummaryValue } from '../model';

/** What a snapshot needs of one summary series. */
export interface ReadableSummary {
  readonly count: number;
  readonly sum: number;
  readonly created: number;
  quantiles(): Quantile[];
}

/**
 * The series of one summary snapshot, each read (count, sum and quantiles together) the
 * first time a scrape reaches it, then kept: a series' quantiles cost a sort and a merge
 * of its buffered observations, so reading all of them when the snapshot is taken would
 * be one long synchronous stretch. Every reader of the snapshot sees the same values.
 * Kept as numbers in typed arrays: objects kept for a whole scrape would be copied by
 * every young-generation GC during it.
 */
export class SummaryReads {
  private readonly read: Uint8Array;
  private readonly counts: Float64Array;
  private readonly sums: Float64Array;
  private readonly created: Float64Array;
  private readonly values: Float64Array;

  constructor(
    private readonly series: ReadonlyArray<ReadableSummary | undefined>,
    private readonly quantiles: readonly number[],
  ) {
    const n = series.length;
    this.read = new Uint8Array(n);
    this.counts = new Float64Array(n);
    this.sums = new Float64Array(n);
    this.created = new Float64Array(n);
    this.values = new Float64Array(n * quantiles.length);
  }

  /** Series `index` as read the first time it was asked for. */
  valueOf(index: number): SummaryValue {
    this.ensure(index);
    const width = this.quantiles.length;
    const quantiles: Quantile[] = new Array(width);
    for (let q = 0; q < width; q++) {
      quantiles[q] = { quantile: this.quantiles[q]!, value: this.values[index * width + q]! };
    }
    return { count: this.counts[index]!, sum: this.sums[index]!, quantiles };
  }

  /** Created timestamp of series `index` (read with its value). */
  createdOf(index: number): number {
    this.ensure(index);
    return this.created[index]!;
  }

  private ensure(index: number): void {
    if (this.read[index] === 1) return;
    const s = this.series[index]!;
    const width = this.quantiles.length;
    const read = s.quantiles();
    for (let q = 0; q < width; q++) this.values[index * width + q] = read[q]!.value;
    this.counts[index] = s.count;
    this.sums[index] = s.sum;
    this.created[index] = s.created;
    this.read[index] = 1;
  }
}

// One per summary and scrape (see keepShape).
keepShape(new SummaryReads([], []));
