import type { Exemplar, HistogramFamily, InfoPoint, SummaryFamily } from '../model';
import { formatValue, pointLabelText } from './escape';
import { sameBounds } from './family-shape';
import { sampleHead, sampleOpen } from './name-escaping';
import { flat, sequentialCopy, sequentialJoin } from './sequential';

/** What every point shares: labels, their cached text and an optional timestamp. */
type SeriesPoint = InfoPoint;

/** How a text format spells the samples of histograms and summaries. */
export interface BucketSpelling {
  /** A bound or quantile inside `le="…"` / `quantile="…"`. */
  readonly label: (value: number) => string;
  /** ` <timestamp>` of a point, or ''. */
  readonly timestamp: (point: SeriesPoint) => string;
  /** ` # {…} value` after a bucket sample (OpenMetrics); absent: exemplars are left out. */
  readonly exemplar?: (exemplar: Exemplar) => string;
  /** A `_created` sample after `_count` (OpenMetrics, when asked). */
  readonly created: boolean;
}

/**
 * `_bucket` (cumulative, `+Inf` last), `_sum`, `_count` and maybe `_created` per point.
 * Each line's '\n' rides at the front of the next line's first piece (one piece fewer a
 * line: a rope costs per piece, when built and when copied flat); the first line has
 * none and the last gets one of its own. Returned flat, while its pieces are still young:
 * a page holds its slices until all are written, and ropes kept that long are carried
 * through every scavenge (and promoted) with it.
 */
export function histogramSamples(
  family: HistogramFamily,
  q: boolean,
  spelling: BucketSpelling,
): string {
  const points = family.points;
  if (points.length === 0) return '';
  // `\n` + the opening of each sample name, sequential: every line copies one.
  const bucketOpen = sequentialCopy(`\n${sampleOpen(`${family.name}_bucket`, q)}`);
  const tails = tailOpens(family.name, q, spelling.created);
  const exemplarPart = spelling.exemplar;
  let out = '';
  // `le="<bound>"} ` per bucket, `+Inf` last; rebuilt only when a point's bounds differ.
  let les: string[] = [];
  let lesFor: ArrayLike<number> | undefined;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const v = p.value;
    // Flat once: its three uses below then copy it, rather than walk its pieces three times.
    const text = flat(pointLabelText(p));
    // Sequential: each bucket's line copies it (a rope would be walked once per bucket).
    const head = text === '' ? bucketOpen : sequentialJoin([bucketOpen, text, ',']);
    const ts = spelling.timestamp(p);
    const counts = v.counts;
    // The page's first line has no '\n' before it (a slice of a sequential string: no copy).
    const firstHead = i === 0 ? head.slice(1) : head;
    if (counts.length === 0) {
      out += firstHead;
      out += 'le="+Inf"} ';
      out += formatValue(v.count);
      out += ts;
    } else {
      if (lesFor !== v.bounds && !sameBounds(lesFor, v.bounds)) {
        les = leLabels(v.bounds, spelling.label);
        lesFor = v.bounds;
      }
      const exemplars = exemplarPart === undefined ? undefined : v.exemplars;
      let cumulative = 0;
      for (let b = 0; b < les.length; b++) {
        cumulative += counts[b] ?? 0;
        out += b === 0 ? firstHead : head;
        out += les[b]!;
        out += formatValue(cumulative);
        out += ts;
        const exemplar = exemplars === undefined ? undefined : exemplars[b];
        if (exemplar !== undefined) out += exemplarPart!(exemplar);
      }
    }
    // OpenMetrics drops _sum and _count when a bound is negative; they are kept so that
    // negotiating OpenMetrics instead of text never loses a series in Prometheus.
    out += tailLines(tails, q, text, v.sum, v.count, p.created, ts);
  }
  out += '\n';
  return flat(out);
}

function leLabels(bounds: ArrayLike<number>, label: (value: number) => string): string[] {
  const les: string[] = [];
  for (let i = 0; i < bounds.length; i++) les.push(sequentialCopy(`le="${label(bounds[i]!)}"} `));
  les.push('le="+Inf"} ');
  return les;
}

/**
 * One sample per quantile, then `_sum`, `_count` and maybe `_created` per point; lines
 * spelled as `histogramSamples` spells them ('\n' first).
 */
export function summarySamples(
  family: SummaryFamily,
  q: boolean,
  spelling: BucketSpelling,
): string {
  const points = family.points;
  if (points.length === 0) return '';
  const open = sequentialCopy(`\n${sampleOpen(family.name, q)}`);
  const tails = tailOpens(family.name, q, spelling.created);
  // `quantile="<q>"} ` per quantile, reused while consecutive points share quantiles.
  const qNums: number[] = [];
  const qTexts: string[] = [];
  let out = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const v = p.value;
    const text = flat(pointLabelText(p));
    const head = text === '' ? open : sequentialJoin([open, text, ',']);
    const ts = spelling.timestamp(p);
    const quantiles = v.quantiles;
    for (let k = 0; k < quantiles.length; k++) {
      const quantile = quantiles[k]!;
      if (qNums[k] !== quantile.quantile) {
        qNums[k] = quantile.quantile;
        qTexts[k] = sequentialCopy(`quantile="${spelling.label(quantile.quantile)}"} `);
      }
      out += i === 0 && k === 0 ? head.slice(1) : head;
      out += qTexts[k]!;
      out += formatValue(quantile.value);
      out += ts;
    }
    const tail = tailLines(tails, q, text, v.sum, v.count, p.created, ts);
    // A summary without quantiles starts its page with `_sum`.
    out += i === 0 && quantiles.length === 0 ? tail.slice(1) : tail;
  }
  out += '\n';
  return flat(out);
}

/**
 * The `_sum`, `_count` and (when asked) `_created` openings of a histogram's or summary's
 * lines, each with the '\n' before it, made once per family: `[sum, count, sum without
 * labels, count without labels, created name or '']`. An array, not an object of a class
 * of its own: a scrape drops it, and a class's map would die with it at the next full GC
 * (see keepShape) and take the writers' optimized code along.
 */
type TailOpens = readonly [string, string, string, string, string];

function tailOpens(name: string, q: boolean, created: boolean): TailOpens {
  return [
    sequentialCopy(`\n${sampleOpen(`${name}_sum`, q)}`),
    sequentialCopy(`\n${sampleOpen(`${name}_count`, q)}`),
    sequentialCopy(`\n${sampleHead(`${name}_sum`, '', q)}`),
    sequentialCopy(`\n${sampleHead(`${name}_count`, '', q)}`),
    created ? `${name}_created` : '',
  ];
}

/** The tail lines of a point labelled `text` (flat), with ` <timestamp>` `ts` or ''. */
function tailLines(
  opens: TailOpens,
  q: boolean,
  text: string,
  sum: number,
  count: number,
  created: number | undefined,
  ts: string,
): string {
  let out: string;
  if (text === '') {
    out = opens[2];
    out += formatValue(sum);
    out += ts;
    out += opens[3];
  } else {
    out = opens[0];
    out += text;
    out += '} ';
    out += formatValue(sum);
    out += ts;
    out += opens[1];
    out += text;
    out += '} ';
  }
  out += formatValue(count);
  out += ts;
  if (opens[4] !== '' && created !== undefined) {
    out += `\n${sampleHead(opens[4], text, q)}${formatValue(created)}${ts}`;
  }
  return out;
}
