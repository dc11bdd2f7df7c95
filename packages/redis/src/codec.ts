import type { Labels } from '@promkit/core';

/**
 * Series identity in Redis fields: the labels as a flat JSON array of name, value pairs
 * in exposition order (`["method","GET","code","200"]`). JSON escapes every control
 * character and a metric name or field part never contains `[`, so the first `[` of a
 * field always starts the labels.
 */
export function encodeLabels(labels: Labels): string {
  const flat: string[] = [];
  for (const name in labels) flat.push(name, labels[name]!);
  return JSON.stringify(flat);
}

/** Decodes `encodeLabels` output; undefined for text that is not such an array. */
export function decodeLabels(text: string): Record<string, string> | undefined {
  let flat: unknown;
  try {
    flat = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(flat) || flat.length % 2 !== 0) return undefined;
  const labels: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i];
    const value = flat[i + 1];
    if (typeof name !== 'string' || typeof value !== 'string') return undefined;
    labels[name] = value;
  }
  return labels;
}

/** Splits a field `<part>[labels…]` into its part and label text. */
export function splitField(field: string): { part: string; labels: string } | undefined {
  const at = field.indexOf('[');
  if (at === -1) return undefined;
  return { part: field.slice(0, at), labels: field.slice(at) };
}

/**
 * An increment as `HINCRBYFLOAT` reads it. Redis refuses non-finite increments; the flush
 * script then stores the IEEE result itself, so they travel as `inf`, `-inf`, `nan`.
 */
export function deltaText(delta: number): string {
  if (Number.isFinite(delta)) return String(delta);
  if (Number.isNaN(delta)) return 'nan';
  return delta > 0 ? 'inf' : '-inf';
}

/** A number as Redis (`HINCRBYFLOAT`, the flush script) or `String(number)` wrote it. */
export function parseNumber(text: string): number {
  switch (text.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Number.POSITIVE_INFINITY;
    case '-inf':
    case '-infinity':
      return Number.NEGATIVE_INFINITY;
    case 'nan':
    case '-nan':
      return Number.NaN;
    default:
      return Number(text);
  }
}
