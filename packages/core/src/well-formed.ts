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
