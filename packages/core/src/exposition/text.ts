import type {
  CounterPoint,
  GaugePoint,
  HistogramFamily,
  InfoPoint,
  MetricFamily,
  StateSetPoint,
  SummaryFamily,
  UntypedPoint,
} from '../model';
import { escapeHelp, formatValue, labelBlock, pointLabelText } from './escape';
import { infoSampleName, sameBounds } from './family-shape';
import { Lines } from './lines';

/**
 * Writes families in the Prometheus text exposition format 0.0.4.
 *
 * Names are used as given: a counter keeps its name with or without `_total`. Info
 * families become gauges named `<name>_info`, state sets become gauges, `_created`
 * and units are not part of this format.
 */
export function encodeText(families: readonly MetricFamily[]): string {
  let out = '';
  for (let i = 0; i < families.length; i++) out += encodeFamily(families[i]!);
  return out;
}

function encodeFamily(family: MetricFamily): string {
  return textHeader(family) + textSamples(family);
}

/** The `# HELP` and `# TYPE` lines of a family. */
export function textHeader(family: MetricFamily): string {
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'untyped':
      return header(family.name, family.help, family.type);
    case 'stateset':
      return header(family.name, family.help, 'gauge');
    case 'info':
      return header(infoSampleName(family.name), family.help, 'gauge');
    case 'histogram':
    case 'summary':
      return header(family.name, family.help, family.type);
  }
}

/** The sample lines of a family's points (all of them, or one slice). */
export function textSamples(family: MetricFamily): string {
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'stateset':
    case 'untyped':
      return simpleSamples(family.name, family.points);
    case 'info':
      return infoSamples(infoSampleName(family.name), family.points);
    case 'histogram':
      return histogramSamples(family);
    case 'summary':
      return summarySamples(family);
  }
}

function header(name: string, help: string, type: string): string {
  // An empty HELP keeps its separating space (`# HELP name `), as the grammar spells it.
  return `# HELP ${name} ${escapeHelp(help, false)}\n# TYPE ${name} ${type}\n`;
}

/** What every point shares: labels, their cached text and an optional timestamp. */
type SeriesPoint = InfoPoint;
type ValuePoint = CounterPoint | GaugePoint | UntypedPoint | StateSetPoint;

function lineEnd(point: SeriesPoint): string {
  const ts = point.timestampMs;
  if (ts === undefined) return '\n';
  return ` ${Number.isInteger(ts) ? ts : Math.round(ts)}\n`;
}

function simpleSamples(name: string, points: readonly ValuePoint[]): string {
  const lines = new Lines();
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    lines.add(name + labelBlock(pointLabelText(p)) + formatValue(p.value) + lineEnd(p));
  }
  return lines.text();
}

function infoSamples(name: string, points: readonly SeriesPoint[]): string {
  let out = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    out += `${name + labelBlock(pointLabelText(p))}1${lineEnd(p)}`;
  }
  return out;
}

function histogramSamples(family: HistogramFamily): string {
  const bucketOpen = `${family.name}_bucket{`;
  const sumName = `${family.name}_sum`;
  const countName = `${family.name}_count`;
  const points = family.points;
  let out = '';
  // `le="<bound>"} ` per bucket, `+Inf` last; rebuilt only when a point's bounds differ.
  let les: string[] = [];
  let lesFor: ArrayLike<number> | undefined;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const v = p.value;
    const text = pointLabelText(p);
    const head = text === '' ? bucketOpen : `${bucketOpen + text},`;
    const tail = labelBlock(text);
    const end = lineEnd(p);
    const counts = v.counts;
    if (counts.length === 0) {
      out += `${head}le="+Inf"} ${formatValue(v.count)}${end}`;
    } else {
      if (lesFor !== v.bounds && !sameBounds(lesFor, v.bounds)) {
        les = leLabels(v.bounds);
        lesFor = v.bounds;
      }
      let cumulative = 0;
      for (let b = 0; b < les.length; b++) {
        cumulative += counts[b] ?? 0;
        out += head + les[b]! + formatValue(cumulative) + end;
      }
    }
    out += sumName + tail + formatValue(v.sum) + end;
    out += countName + tail + formatValue(v.count) + end;
  }
  return out;
}

function leLabels(bounds: ArrayLike<number>): string[] {
  const les: string[] = [];
  for (let i = 0; i < bounds.length; i++) les.push(`le="${formatValue(bounds[i]!)}"} `);
  les.push('le="+Inf"} ');
  return les;
}

function summarySamples(family: SummaryFamily): string {
  const open = `${family.name}{`;
  const sumName = `${family.name}_sum`;
  const countName = `${family.name}_count`;
  const points = family.points;
  // `quantile="<q>"} ` per quantile, reused while consecutive points share quantiles.
  const qNums: number[] = [];
  const qTexts: string[] = [];
  let out = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const v = p.value;
    const text = pointLabelText(p);
    const head = text === '' ? open : `${open + text},`;
    const tail = labelBlock(text);
    const end = lineEnd(p);
    const quantiles = v.quantiles;
    for (let q = 0; q < quantiles.length; q++) {
      const quantile = quantiles[q]!;
      if (qNums[q] !== quantile.quantile) {
        qNums[q] = quantile.quantile;
        qTexts[q] = `quantile="${formatValue(quantile.quantile)}"} `;
      }
      out += head + qTexts[q]! + formatValue(quantile.value) + end;
    }
    out += sumName + tail + formatValue(v.sum) + end;
    out += countName + tail + formatValue(v.count) + end;
  }
  return out;
}
