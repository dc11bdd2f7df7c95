import type { Exemplar, HistogramFamily, InfoPoint, SummaryFamily } from '../model';
import { formatValue, pointLabelText } from './escape';
import { sameBounds } from './family-shape';
import { sampleHead, sampleOpen } from './name-escaping';
import { sequentialCopy, sequentialJoin } from './sequential';

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

/** `_bucket` (cumulative, `+Inf` last), `_sum`, `_count` and maybe `_created` per point. */
export function histogramSamples(
  family: HistogramFamily,
  q: boolean,
  spelling: BucketSpelling,
): string {
  const bucketOpen = sequentialCopy(sampleOpen(`${family.name}_bucket`, q));
  const sumName = `${family.name}_sum`;
  const countName = `${family.name}_count`;
  const createdName = `${family.name}_created`;
  const exemplarPart = spelling.exemplar;
  const points = family.points;
  let out = '';
  // `le="<bound>"} ` per bucket, `+Inf` last; rebuilt only when a point's bounds differ.
  let les: string[] = [];
  let lesFor: ArrayLike<number> | undefined;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const v = p.value;
    const text = pointLabelText(p);
    // Sequential: each bucket's line copies it (a rope would be walked once per bucket).
    const head = text === '' ? bucketOpen : sequentialJoin([bucketOpen, text, ',']);
    const ts = spelling.timestamp(p);
    const end = `${ts}\n`;
    const counts = v.counts;
    if (counts.length === 0) {
      out += `${head}le="+Inf"} ${formatValue(v.count)}${end}`;
    } else {
      if (lesFor !== v.bounds && !sameBounds(lesFor, v.bounds)) {
        les = leLabels(v.bounds, spelling.label);
        lesFor = v.bounds;
      }
      const exemplars = exemplarPart === undefined ? undefined : v.exemplars;
      let cumulative = 0;
      for (let b = 0; b < les.length; b++) {
        cumulative += counts[b] ?? 0;
        out += head + les[b]! + formatValue(cumulative) + ts;
        const exemplar = exemplars === undefined ? undefined : exemplars[b];
        out += exemplar === undefined ? '\n' : `${exemplarPart!(exemplar)}\n`;
      }
    }
    // OpenMetrics drops _sum and _count when a bound is negative; they are kept so that
    // negotiating OpenMetrics instead of text never loses a series in Prometheus.
    out += sampleHead(sumName, text, q) + formatValue(v.sum) + end;
    out += sampleHead(countName, text, q) + formatValue(v.count) + end;
    if (spelling.created && p.created !== undefined) {
      out += sampleHead(createdName, text, q) + formatValue(p.created) + end;
    }
  }
  return out;
}

function leLabels(bounds: ArrayLike<number>, label: (value: number) => string): string[] {
  const les: string[] = [];
  for (let i = 0; i < bounds.length; i++) les.push(sequentialCopy(`le="${label(bounds[i]!)}"} `));
  les.push('le="+Inf"} ');
  return les;
}

/** One sample per quantile, then `_sum`, `_count` and maybe `_created` per point. */
export function summarySamples(
  family: SummaryFamily,
  q: boolean,
  spelling: BucketSpelling,
): string {
  const open = sequentialCopy(sampleOpen(family.name, q));
  const sumName = `${family.name}_sum`;
  const countName = `${family.name}_count`;
  const createdName = `${family.name}_created`;
  const points = family.points;
  // `quantile="<q>"} ` per quantile, reused while consecutive points share quantiles.
  const qNums: number[] = [];
  const qTexts: string[] = [];
  let out = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const v = p.value;
    const text = pointLabelText(p);
    const head = text === '' ? open : sequentialJoin([open, text, ',']);
    const end = `${spelling.timestamp(p)}\n`;
    const quantiles = v.quantiles;
    for (let k = 0; k < quantiles.length; k++) {
      const quantile = quantiles[k]!;
      if (qNums[k] !== quantile.quantile) {
        qNums[k] = quantile.quantile;
        qTexts[k] = sequentialCopy(`quantile="${spelling.label(quantile.quantile)}"} `);
      }
      out += head + qTexts[k]! + formatValue(quantile.value) + end;
    }
    out += sampleHead(sumName, text, q) + formatValue(v.sum) + end;
    out += sampleHead(countName, text, q) + formatValue(v.count) + end;
    if (spelling.created && p.created !== undefined) {
      out += sampleHead(createdName, text, q) + formatValue(p.created) + end;
    }
  }
  return out;
}
