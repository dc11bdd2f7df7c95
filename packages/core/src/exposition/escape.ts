import type { Labels } from '../model';

const LABEL_VALUE_SPECIAL = /[\\"\n]/;

/** Escapes a label value for text 0.0.4 and OpenMetrics: `\` → `\\`, `"` → `\"`, LF → `\n`. */
export function escapeLabelValue(value: string): string {
  if (!LABEL_VALUE_SPECIAL.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value.charCodeAt(i);
    if (ch === 92) out += '\\\\';
    else if (ch === 34) out += '\\"';
    else if (ch === 10) out += '\\n';
    else out += value[i];
  }
  return out;
}

/**
 * `a="x",b="y"` for the given labels, without braces; '' when there are none. Built with
 * `join` so the result is one flat string: series keep it for their whole life, and a
 * string grown with `+=` would stay a tree of pieces several times its size.
 */
export function labelText(labels: Labels): string {
  const parts: string[] = [];
  for (const name in labels) parts.push(`${name}="${escapeLabelValue(labels[name]!)}"`);
  return parts.join(',');
}

/**
 * `labelText` for one scrape: the same text as a tree of pieces (no array, no join), which
 * the slice it goes into copies flat anyway. Not for text kept beyond the scrape.
 */
export function scrapeLabelText(labels: Labels): string {
  let out = '';
  for (const name in labels) {
    if (out !== '') out += ',';
    out += name;
    out += '="';
    out += escapeLabelValue(labels[name]!);
    out += '"';
  }
  return out;
}

const HELP_SPECIAL_TEXT = /[\\\n]/;
const HELP_SPECIAL_OPENMETRICS = /[\\\n"]/;

/**
 * Escapes HELP text. Text 0.0.4 escapes `\` and LF only; OpenMetrics also escapes `"`.
 */
export function escapeHelp(help: string, openMetrics: boolean): string {
  // Almost every HELP needs nothing: one scan instead of two or three regex replaces.
  if (!(openMetrics ? HELP_SPECIAL_OPENMETRICS : HELP_SPECIAL_TEXT).test(help)) return help;
  let out = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  if (openMetrics) out = out.replace(/"/g, '\\"');
  return out;
}

/** Spells a sample value as both text formats require: `+Inf`, `-Inf`, `NaN`, integers without `.0`. */
export function formatValue(value: number): string {
  if (Number.isFinite(value)) return value === 0 ? '0' : `${value}`;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/** A point's escaped label text: its cached `labelText`, or escaped now. */
export function pointLabelText(point: {
  readonly labels: Labels;
  readonly labelText?: string;
}): string {
  return point.labelText ?? labelText(point.labels);
}

/** What stands between a sample name and its value: `{a="x"} `, or ` ` without labels. */
export function labelBlock(text: string): string {
  return text === '' ? ' ' : `{${text}} `;
}
