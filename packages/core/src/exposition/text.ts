import type {
  CounterPoint,
  GaugePoint,
  InfoPoint,
  MetricFamily,
  StateSetPoint,
  UntypedPoint,
} from '../model';
import type { ValueColumns } from '../snapshot';
import { type BucketSpelling, histogramSamples, summarySamples } from './bucket-samples';
import { columnSamples } from './column-samples';
import { escapeHelp, formatValue, pointLabelText } from './escape';
import { infoSampleName } from './family-shape';
import { Lines } from './lines';
import { type EscapingScheme, metadataName, quotesName, sampleHead } from './name-escaping';
import { flat } from './sequential';

/** How the text writers spell names. */
export interface TextWriterOptions {
  /**
   * The scrape's escaping scheme. Names are written as the families give them (escape
   * them first for the other schemes); under `allow-utf-8` a name outside the legacy
   * set is quoted: `{"http.server.duration","http.method"="GET"} 1`.
   */
  readonly escaping?: EscapingScheme;
}

/**
 * Writes families in the Prometheus text exposition format 0.0.4.
 *
 * Names are used as given: a counter keeps its name with or without `_total`. Info
 * families become gauges named `<name>_info`, state sets become gauges, `_created`
 * and units are not part of this format.
 */
export function encodeText(
  families: readonly MetricFamily[],
  options: TextWriterOptions = {},
): string {
  const escaping = options.escaping;
  let out = '';
  for (let i = 0; i < families.length; i++) {
    const family = families[i]!;
    out += encodeFamily(family, quotesName(family.name, escaping));
  }
  return out;
}

function encodeFamily(family: MetricFamily, q: boolean): string {
  return textHeader(family, q) + textSamples(family, q);
}

/** The `# HELP` and `# TYPE` lines of a family (`q`: the name is quoted). */
export function textHeader(family: MetricFamily, q: boolean): string {
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'untyped':
      return header(family.name, family.help, family.type, q);
    case 'stateset':
      return header(family.name, family.help, 'gauge', q);
    case 'info':
      return header(infoSampleName(family.name), family.help, 'gauge', q);
    case 'histogram':
    case 'summary':
      return header(family.name, family.help, family.type, q);
  }
}

/** The sample lines of a family's points (all of them, or one slice). */
export function textSamples(family: MetricFamily, q: boolean): string {
  switch (family.type) {
    case 'counter':
    case 'gauge':
    case 'stateset':
    case 'untyped':
      return simpleSamples(family.name, family.points, q);
    case 'info':
      return infoSamples(infoSampleName(family.name), family.points, q);
    case 'histogram':
      return histogramSamples(family, q, TEXT_SPELLING);
    case 'summary':
      return summarySamples(family, q, TEXT_SPELLING);
  }
}

/** `textSamples` of points `from`..`to` of a counter, gauge or untyped family given as columns. */
export function textColumnSamples(
  family: MetricFamily,
  columns: ValueColumns,
  from: number,
  to: number,
  q: boolean,
): string {
  return columnSamples(family.name, columns, from, to, q);
}

function header(name: string, help: string, type: string, q: boolean): string {
  const shown = metadataName(name, q);
  // An empty HELP keeps its separating space (`# HELP name `), as the grammar spells it.
  return `# HELP ${shown} ${escapeHelp(help, false)}\n# TYPE ${shown} ${type}\n`;
}

/** What every point shares: labels, their cached text and an optional timestamp. */
type SeriesPoint = InfoPoint;
type ValuePoint = CounterPoint | GaugePoint | UntypedPoint | StateSetPoint;

/** ` <milliseconds>` or '': text 0.0.4 timestamps are integer milliseconds. */
function timestampPart(point: SeriesPoint): string {
  const ts = point.timestampMs;
  if (ts === undefined) return '';
  return ` ${Number.isInteger(ts) ? ts : Math.round(ts)}`;
}

function lineEnd(point: SeriesPoint): string {
  return point.timestampMs === undefined ? '\n' : `${timestampPart(point)}\n`;
}

/** Histograms and summaries in text 0.0.4: bounds as values are spelled, no exemplars. */
const TEXT_SPELLING: BucketSpelling = {
  label: formatValue,
  timestamp: timestampPart,
  created: false,
};

function simpleSamples(name: string, points: readonly ValuePoint[], q: boolean): string {
  const lines = new Lines();
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    lines.add(sampleHead(name, pointLabelText(p), q) + formatValue(p.value) + lineEnd(p));
  }
  return lines.text();
}

function infoSamples(name: string, points: readonly SeriesPoint[], q: boolean): string {
  let out = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    out += `${sampleHead(name, pointLabelText(p), q)}1${lineEnd(p)}`;
  }
  return flat(out);
}
