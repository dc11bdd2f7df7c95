import type { CounterFamily, Exemplar, InfoPoint, MetricFamily } from '../model';
import type { ValueColumns } from '../snapshot';
import { type BucketSpelling, histogramSamples, summarySamples } from './bucket-samples';
import { columnSamples } from './column-samples';
import { escapeHelp, formatValue, labelText, pointLabelText } from './escape';
import { Lines } from './lines';
import { metadataName, quotesName, sampleHead } from './name-escaping';
import { flat } from './sequential';
import type { TextWriterOptions } from './text';

export interface OpenMetricsOptions extends TextWriterOptions {
  /**
   * Writes a `_created` sample for every counter, histogram and summary series. Off by
   * default: Prometheus 2.x stores each as one more series (client_golang leaves them
   * off for that reason). Protobuf always carries the created timestamp, as a field.
   */
  readonly created?: boolean;
}

/**
 * Writes families in OpenMetrics 1.0 text: `TYPE`, `UNIT`, `HELP` per family,
 * counters as `<family>_total`, info as `<family>_info`, exemplars on counter totals and
 * histogram buckets, timestamps in seconds, closed by `# EOF`; `_created` samples only
 * with `{ created: true }`.
 */
export function encodeOpenMetrics(
  families: readonly MetricFamily[],
  options: OpenMetricsOptions = {},
): string {
  const escaping = options.escaping;
  const created = options.created === true;
  let out = '';
  for (let i = 0; i < families.length; i++) {
    const family = families[i]!;
    out += encodeFamily(family, quotesName(family.name, escaping), created);
  }
  return out + OPENMETRICS_EOF;
}

function encodeFamily(family: MetricFamily, q: boolean, created: boolean): string {
  return openMetricsHeader(family, q) + openMetricsSamples(family, q, created);
}

/** The closing line of every OpenMetrics page. */
export const OPENMETRICS_EOF = '# EOF\n';

/** The `# TYPE`, `# UNIT` and `# HELP` lines of a family (`q`: the name is quoted). */
export function openMetricsHeader(family: MetricFamily, q: boolean): string {
  switch (family.type) {
    case 'counter':
      return header(stripSuffix(family.name, '_total'), family.help, 'counter', family.unit, q);
    case 'gauge':
    case 'histogram':
    case 'summary':
      return header(family.name, family.help, family.type, family.unit, q);
    case 'untyped':
      return header(family.name, family.help, 'unknown', family.unit, q);
    case 'stateset':
      // State sets and info carry no unit (OpenMetrics 1.0, "MUST have an empty Unit").
      return header(family.name, family.help, 'stateset', undefined, q);
    case 'info':
      return header(stripSuffix(family.name, '_info'), family.help, 'info', undefined, q);
  }
}

/** The sample lines of a family's points (all of them, or one slice). */
export function openMetricsSamples(family: MetricFamily, q: boolean, created: boolean): string {
  switch (family.type) {
    case 'counter':
      return counterSamples(stripSuffix(family.name, '_total'), family, q, created);
    case 'gauge':
    case 'untyped':
    case 'stateset':
      return simpleSamples(family.name, family.points, q);
    case 'info':
      return infoSamples(`${stripSuffix(family.name, '_info')}_info`, family.points, q);
    case 'histogram':
      return histogramSamples(family, q, created ? OM_CREATED : OM);
    case 'summary':
      return summarySamples(family, q, created ? OM_CREATED : OM);
  }
}

/** `openMetricsSamples` of points `from`..`to` of a counter, gauge or untyped family given as columns. */
export function openMetricsColumnSamples(
  family: MetricFamily,
  columns: ValueColumns,
  from: number,
  to: number,
  q: boolean,
  created: boolean,
): string {
  if (family.type !== 'counter') return columnSamples(family.name, columns, from, to, q);
  const name = stripSuffix(family.name, '_total');
  return columnSamples(
    `${name}_total`,
    columns,
    from,
    to,
    q,
    created ? `${name}_created` : undefined,
  );
}

function stripSuffix(name: string, suffix: string): string {
  return name.endsWith(suffix) && name.length > suffix.length
    ? name.slice(0, -suffix.length)
    : name;
}

function header(
  name: string,
  help: string,
  type: string,
  unit: string | undefined,
  q: boolean,
): string {
  const shown = metadataName(name, q);
  let out = `# TYPE ${shown} ${type}\n`;
  // The spec requires the unit as the name's suffix; a unit that is not is left out
  // rather than producing a page the scraper rejects as a whole.
  if (unit !== undefined && unit !== '' && name.endsWith(`_${unit}`))
    out += `# UNIT ${shown} ${unit}\n`;
  return `${out}# HELP ${shown} ${escapeHelp(help, true)}\n`;
}

/** What every point shares: labels, their cached text and an optional timestamp. */
type SeriesPoint = InfoPoint;

/** ` <seconds>` or ''; the model holds milliseconds, OpenMetrics wants seconds. */
function timestampPart(point: SeriesPoint): string {
  const ts = point.timestampMs;
  return ts === undefined ? '' : ` ${formatValue(ts / 1000)}`;
}

function exemplarPart(exemplar: Exemplar): string {
  const ts = exemplar.timestamp === undefined ? '' : ` ${formatValue(exemplar.timestamp)}`;
  return ` # {${labelText(exemplar.labels)}} ${formatValue(exemplar.value)}${ts}`;
}

/** Histograms and summaries in OpenMetrics: canonical bounds, exemplars, seconds. */
const OM: BucketSpelling = {
  label: (value) => formatCanonical(value),
  timestamp: timestampPart,
  exemplar: exemplarPart,
  created: false,
};
const OM_CREATED: BucketSpelling = { ...OM, created: true };

function counterSamples(name: string, family: CounterFamily, q: boolean, created: boolean): string {
  const totalName = `${name}_total`;
  const createdName = `${name}_created`;
  const points = family.points;
  const lines = new Lines();
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const text = pointLabelText(p);
    const ts = timestampPart(p);
    let line = sampleHead(totalName, text, q) + formatValue(p.value) + ts;
    line += p.exemplar === undefined ? '\n' : `${exemplarPart(p.exemplar)}\n`;
    if (created && p.created !== undefined) {
      line += `${sampleHead(createdName, text, q) + formatValue(p.created) + ts}\n`;
    }
    lines.add(line);
  }
  return lines.text();
}

function simpleSamples(
  name: string,
  points: readonly (SeriesPoint & { readonly value: number })[],
  q: boolean,
): string {
  const lines = new Lines();
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const text = pointLabelText(p);
    lines.add(`${sampleHead(name, text, q) + formatValue(p.value) + timestampPart(p)}\n`);
  }
  return lines.text();
}

function infoSamples(name: string, points: readonly SeriesPoint[], q: boolean): string {
  let out = '';
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const text = pointLabelText(p);
    out += `${sampleHead(name, text, q)}1${timestampPart(p)}\n`;
  }
  return flat(out);
}

/**
 * The canonical spelling OpenMetrics asks for in `le` and `quantile` values: Go's
 * shortest `%g` (exponent form below 1e-4 and from 1e+06, two-digit exponent) with
 * `.0` appended when there is neither a point nor an exponent. `1` → `1.0`,
 * `1e-5` → `1e-05`, `1000000` → `1e+06`, `100000` → `100000.0`.
 */
export function formatCanonical(value: number): string {
  if (!Number.isFinite(value)) {
    if (Number.isNaN(value)) return 'NaN';
    return value > 0 ? '+Inf' : '-Inf';
  }
  if (value === 0) return '0.0';
  // toExponential() without digits gives the shortest round-trip mantissa.
  const exp = value.toExponential();
  const e = exp.indexOf('e');
  const exponent = Number(exp.slice(e + 1));
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    const abs = exponent < 0 ? -exponent : exponent;
    return `${exp.slice(0, e)}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  const plain = `${value}`;
  return plain.indexOf('.') === -1 ? `${plain}.0` : plain;
}
