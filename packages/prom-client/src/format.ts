/** prom-client's sample value text: `Nan`, `+Inf`, `-Inf`, else `String(value)`. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'Nan';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return `${value}`;
}

/** Escapes backslash and newline (metric names and help, as prom-client does). */
export function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** Escapes a label value for the exposition: backslash, newline and double quote. */
export function escapeLabel(value: unknown): string {
  if (typeof value !== 'string') return `${value}`;
  return escapeText(value).replace(/"/g, '\\"');
}

/** `a="x",b="y"` for `labels`, skipping names present in `exclude`. */
export function labelPairs(labels: object, exclude?: object): string {
  let out = '';
  for (const name in labels) {
    if (exclude !== undefined && Object.hasOwn(exclude, name)) continue;
    const value = (labels as Record<string, unknown>)[name];
    out += `${out === '' ? '' : ','}${name}="${escapeLabel(value)}"`;
  }
  return out;
}
