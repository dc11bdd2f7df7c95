type WellFormedString = string & { isWellFormed?(): boolean; toWellFormed?(): string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces lone UTF-16 surrogates with U+FFFD. UTF-8 cannot carry them: protobuf would
 * send invalid bytes (Prometheus then rejects the whole scrape) and the text formats
 * would turn `"a\uD800"` and `"a\uFFFD"` into two identical series. Every label value,
 * HELP text and exemplar label passes through here once, when it is stored.
 */
export function wellFormed(text: string): string {
  const s = text as WellFormedString;
  if (typeof s.isWellFormed === 'function') return s.isWellFormed() ? text : s.toWellFormed!();
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** V8 keeps strings shorter than this flat: never a rope of pieces, never a slice of a larger string. */
const ALWAYS_FLAT_BELOW = 13;
const encoder = new TextEncoder();
// `ignoreBOM`: the default decoder drops a leading U+FEFF, which is part of a label value.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * A well-formed copy of `text` that a store can keep for a series' whole life. A label
 * value built by concatenation is a rope (pieces plus pointers, often twice the size of
 * the text) and one cut from a request URL is a slice that pins the whole URL; the
 * UTF-8 round trip makes one flat string (lone surrogates become U+FFFD on the way).
 * Runs once per new label value, never on a lookup.
 */
export function ownedString(text: string): string {
  if (text.length < ALWAYS_FLAT_BELOW) return wellFormed(text);
  return decoder.decode(encoder.encode(text));
}
