// Prometheus' name escaping schemes (prometheus/docs escaping_schemes.md, and
// prometheus/common model.EscapeName whose examples the tests use).

/**
 * How names outside the legacy character set are written for one scrape:
 * `allow-utf-8` keeps them (quoted in the text formats), the other three map them into
 * the legacy set.
 */
export type EscapingScheme = 'allow-utf-8' | 'underscores' | 'dots' | 'values';

/** The scheme for a scraper that names none: the spec's default (and client_golang's). */
export const DEFAULT_ESCAPING: EscapingScheme = 'underscores';

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function isLegacyMetricName(name: string): boolean {
  return LEGACY_METRIC_NAME.test(name);
}

export function isLegacyLabelName(name: string): boolean {
  return LEGACY_LABEL_NAME.test(name);
}

/** An `escaping=` parameter value, or undefined when it names no scheme we know. */
export function parseEscaping(value: string | undefined): EscapingScheme | undefined {
  switch (value?.toLowerCase()) {
    case 'allow-utf-8':
    case 'allow-utf8': // the spelling of the content-negotiation document
      return 'allow-utf-8';
    case 'underscores':
      return 'underscores';
    case 'dots':
      return 'dots';
    case 'values':
      return 'values';
    default:
      return undefined;
  }
}

/** Whether code point `cp` at position `index` belongs to the legacy set of its kind. */
function isLegacyRune(cp: number, index: number, label: boolean): boolean {
  return (
    (cp >= 97 && cp <= 122) || // a-z
    (cp >= 65 && cp <= 90) || // A-Z
    cp === 95 || // _
    (cp === 58 && !label) || // :
    (cp >= 48 && cp <= 57 && index > 0) // 0-9, not first
  );
}

/**
 * Escapes a metric name (or, with `label`, a label name) into the legacy set as `scheme`
 * says; `allow-utf-8` returns it unchanged. Label names treat `:` as outside the set,
 * which model.EscapeName does not, so that an escaped label name is always one
 * Prometheus 2 accepts.
 */
export function escapeName(name: string, scheme: EscapingScheme, label = false): string {
  if (name === '' || scheme === 'allow-utf-8') return name;
  const legacy = label ? isLegacyLabelName(name) : isLegacyMetricName(name);
  if (legacy && scheme !== 'dots') return name;
  let out = scheme === 'values' ? 'U__' : '';
  let index = 0;
  for (const ch of name) {
    const cp = ch.codePointAt(0)!;
    if (scheme === 'underscores') {
      out += isLegacyRune(cp, index, label) ? ch : '_';
    } else if (cp === 95) {
      out += '__';
    } else if (scheme === 'dots' && cp === 46) {
      out += '_dot_';
    } else if (isLegacyRune(cp, index, label)) {
      out += ch;
    } else if (scheme === 'dots') {
      out += '__';
    } else {
      // A lone surrogate is not a code point UTF-8 can carry.
      out += cp >= 0xd800 && cp <= 0xdfff ? '_FFFD_' : `_${cp.toString(16)}_`;
    }
    index++;
  }
  return out;
}

/** A name inside double quotes, as `allow-utf-8` writes names outside the legacy set. */
export function quoteName(name: string): string {
  let out = '"';
  for (let i = 0; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch === 92) out += '\\\\';
    else if (ch === 34) out += '\\"';
    else if (ch === 10) out += '\\n';
    else out += name[i];
  }
  return `${out}"`;
}

/** What opens a sample line that has labels: `name{`, or `{"name",` for a quoted name. */
export function sampleOpen(name: string, quoted: boolean): string {
  return quoted ? `{${quoteName(name)},` : `${name}{`;
}

/**
 * A sample's name and label block up to its value: `name{text} ` or `name `, and for a
 * quoted name `{"name",text} ` or `{"name"} `.
 */
export function sampleHead(name: string, text: string, quoted: boolean): string {
  if (!quoted) return text === '' ? `${name} ` : `${name}{${text}} `;
  return text === '' ? `{${quoteName(name)}} ` : `{${quoteName(name)},${text}} `;
}

/** The name as a `# HELP`/`# TYPE` line writes it. */
export function metadataName(name: string, quoted: boolean): string {
  return quoted ? quoteName(name) : name;
}

/** Whether a writer quotes this family's name: under `allow-utf-8`, outside the legacy set. */
export function quotesName(name: string, escaping: EscapingScheme | undefined): boolean {
  return escaping === 'allow-utf-8' && !isLegacyMetricName(name);
}
