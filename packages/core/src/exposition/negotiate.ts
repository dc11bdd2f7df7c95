import { DEFAULT_ESCAPING, type EscapingScheme, parseEscaping } from './name-escaping';

/**
 * A format `render()` can answer with, the escaping scheme its names are written in, and
 * the exact Content-Type it answers.
 */
export interface ExpositionFormat {
  readonly name: 'text' | 'openmetrics' | 'protobuf';
  /** The format's version: `0.0.4`/`1.0.0` (text), `0.0.1`/`1.0.0` (OpenMetrics), `delimited`. */
  readonly version: string;
  /** How names outside the legacy character set are written (see `escapeName`). */
  readonly escaping: EscapingScheme;
  readonly contentType: string;
}

function format(
  name: ExpositionFormat['name'],
  version: string,
  contentType: string,
  escaping: EscapingScheme = DEFAULT_ESCAPING,
): ExpositionFormat {
  return Object.freeze({ name, version, escaping, contentType });
}

export const TEXT_FORMAT: ExpositionFormat = format(
  'text',
  '0.0.4',
  'text/plain; version=0.0.4; charset=utf-8',
);

/** Text 1.0.0: the 0.0.4 grammar plus quoted UTF-8 names; always says its escaping. */
export const TEXT_1_0_0_FORMAT: ExpositionFormat = format(
  'text',
  '1.0.0',
  'text/plain; version=1.0.0; charset=utf-8; escaping=underscores',
);

export const OPENMETRICS_FORMAT: ExpositionFormat = format(
  'openmetrics',
  '1.0.0',
  'application/openmetrics-text; version=1.0.0; charset=utf-8',
);

/** OpenMetrics for a client that accepts only the pre-1.0 version string. */
export const OPENMETRICS_0_0_1_FORMAT: ExpositionFormat = format(
  'openmetrics',
  '0.0.1',
  'application/openmetrics-text; version=0.0.1; charset=utf-8',
);

export const PROTOBUF_FORMAT: ExpositionFormat = format(
  'protobuf',
  'delimited',
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
);

/** Candidates in the order that breaks a tie between explicitly named media types. */
const CANDIDATES = [
  PROTOBUF_FORMAT,
  OPENMETRICS_FORMAT,
  OPENMETRICS_0_0_1_FORMAT,
  TEXT_1_0_0_FORMAT,
  TEXT_FORMAT,
];
const PROTOBUF = 0;
const OPENMETRICS = 1;
const OPENMETRICS_0_0_1 = 2;
const TEXT_1_0_0 = 3;
const TEXT = 4;

/** Specificity of a media range: `*\/*` < `type/*` < `type/sub` < `type/sub;param=…`. */
const ANY = 1;
const TYPE_WILDCARD = 2;
const EXACT = 3;
const EXACT_WITH_PARAMS = 4;

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  params: Map<string, string>;
}

/** How one candidate is accepted: by the most specific range that matches it. */
interface Match {
  specificity: number;
  q: number;
  position: number;
}

let lastAccept: string | undefined;
let lastFormat: ExpositionFormat = TEXT_FORMAT;

/**
 * Picks the exposition format for an HTTP `Accept` header: the acceptable format with
 * the highest q-value; text 0.0.4 when the header is absent, unparseable or matches
 * nothing. Protobuf is chosen only when named with its `proto` and `encoding` parameters.
 *
 * The escaping scheme is the chosen range's `escaping` parameter, else the first one the
 * header names elsewhere (Prometheus 3 names it on its text ranges only, also when it
 * picks protobuf), else `underscores`, the spec's default for a scraper that does not
 * know UTF-8 names. Text 0.0.4 and OpenMetrics 0.0.1 cannot quote names, so
 * `allow-utf-8` falls back to `underscores` there. The Content-Type names the scheme
 * whenever the scraper named one, and always for text 1.0.0; for a scraper that named
 * none it stays what it always was.
 *
 * @example
 * const { contentType } = negotiate(request.headers.accept);
 */
export function negotiate(accept: string | null | undefined): ExpositionFormat {
  if (accept === null || accept === undefined) return TEXT_FORMAT;
  // Scrapers send the same header on every scrape.
  if (accept === lastAccept) return lastFormat;
  const ranges = parseAccept(accept);
  const chosen = choose(ranges);
  const format =
    chosen === -1 ? TEXT_FORMAT : withEscaping(CANDIDATES[chosen]!, requestedEscaping(ranges));
  lastAccept = accept;
  lastFormat = format;
  return format;
}

/** The scheme a header asks for: the first valid `escaping` parameter in it. */
function requestedEscaping(ranges: readonly MediaRange[]): EscapingScheme | undefined {
  for (const range of ranges) {
    const scheme = parseEscaping(range.params.get('escaping'));
    if (scheme !== undefined) return scheme;
  }
  return undefined;
}

const variants = new Map<string, ExpositionFormat>();

function withEscaping(base: ExpositionFormat, asked: EscapingScheme | undefined): ExpositionFormat {
  if (asked === undefined) return base;
  const escaping = asked === 'allow-utf-8' && !quotesNames(base) ? DEFAULT_ESCAPING : asked;
  const root = base.contentType.replace(/; escaping=[a-z-]+$/, '');
  const contentType = `${root}; escaping=${escaping}`;
  let variant = variants.get(contentType);
  if (variant === undefined) {
    variant = format(base.name, base.version, contentType, escaping);
    variants.set(contentType, variant);
  }
  return variant;
}

/** Whether a format can carry names outside the legacy set: quoted, or as protobuf strings. */
function quotesNames(f: ExpositionFormat): boolean {
  return f.version === '1.0.0' || f.name === 'protobuf';
}

/** The chosen candidate's index, or -1 when nothing acceptable was named. */
function choose(ranges: readonly MediaRange[]): number {
  const matches: (Match | undefined)[] = CANDIDATES.map(() => undefined);
  for (let position = 0; position < ranges.length; position++) {
    const range = ranges[position]!;
    for (let candidate = 0; candidate < CANDIDATES.length; candidate++) {
      const specificity = matchSpecificity(range, candidate);
      if (specificity === 0) continue;
      const current = matches[candidate];
      if (
        current === undefined ||
        specificity > current.specificity ||
        (specificity === current.specificity && range.q > current.q)
      ) {
        matches[candidate] = { specificity, q: range.q, position };
      }
    }
  }
  let best = -1;
  for (let candidate = 0; candidate < CANDIDATES.length; candidate++) {
    const match = matches[candidate];
    if (match === undefined || match.q <= 0) continue;
    if (best === -1 || beats(candidate, match, best, matches[best]!)) best = candidate;
  }
  return best;
}

/**
 * Whether candidate `challenger` (listed after `holder` in CANDIDATES) wins. At equal q,
 * two explicitly named formats keep the CANDIDATES order; otherwise the range the
 * client listed first wins, and one wildcard matching both prefers text, the default.
 */
function beats(
  challenger: number,
  challengerMatch: Match,
  holder: number,
  holderMatch: Match,
): boolean {
  if (challengerMatch.q !== holderMatch.q) return challengerMatch.q > holderMatch.q;
  if (challengerMatch.specificity >= EXACT && holderMatch.specificity >= EXACT) return false;
  if (challengerMatch.position !== holderMatch.position) {
    return challengerMatch.position < holderMatch.position;
  }
  return challenger === TEXT && holder !== TEXT;
}

function matchSpecificity(range: MediaRange, candidate: number): number {
  const { type, subtype, params } = range;
  if (type === '*') {
    // A wildcard never selects protobuf: a client must name it with its parameters.
    return subtype === '*' && (candidate === OPENMETRICS || candidate === TEXT) ? ANY : 0;
  }
  if (subtype === '*') {
    if (type === 'text' && candidate === TEXT) return TYPE_WILDCARD;
    if (type === 'application' && candidate === OPENMETRICS) return TYPE_WILDCARD;
    return 0;
  }
  const specific = params.size > 0 ? EXACT_WITH_PARAMS : EXACT;
  if (type === 'text' && subtype === 'plain') {
    // 1.0.0 only when named; any other text/plain version is answered with 0.0.4.
    if (params.get('version') === '1.0.0') return candidate === TEXT_1_0_0 ? specific : 0;
    return candidate === TEXT ? specific : 0;
  }
  if (type === 'application' && subtype === 'openmetrics-text') {
    const version = params.get('version');
    if (version === undefined || version === '1.0.0')
      return candidate === OPENMETRICS ? specific : 0;
    if (version === '0.0.1') return candidate === OPENMETRICS_0_0_1 ? specific : 0;
    return 0;
  }
  if (type === 'application' && subtype === 'vnd.google.protobuf') {
    return candidate === PROTOBUF &&
      params.get('proto')?.toLowerCase() === 'io.prometheus.client.metricfamily' &&
      params.get('encoding')?.toLowerCase() === 'delimited'
      ? specific
      : 0;
  }
  return 0;
}

/**
 * Parses `type/subtype;param=value;q=0.5, …` (RFC 9110 §12.5.1) into media ranges.
 * Quoted parameter values may hold `,` and `;`. Elements that do not parse, or carry
 * an invalid q-value, are skipped.
 */
function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  const length = header.length;
  let i = 0;
  while (i < length) {
    // One element: media type up to `;` or `,`.
    let start = i;
    while (i < length && header[i] !== ';' && header[i] !== ',') i++;
    const mediaType = header.slice(start, i).trim().toLowerCase();
    const params = new Map<string, string>();
    let q = 1;
    let valid = true;
    while (i < length && header[i] === ';') {
      i++;
      start = i;
      while (i < length && header[i] !== '=' && header[i] !== ';' && header[i] !== ',') i++;
      const key = header.slice(start, i).trim().toLowerCase();
      let value = '';
      if (i < length && header[i] === '=') {
        i++;
        while (i < length && (header[i] === ' ' || header[i] === '\t')) i++;
        if (header[i] === '"') {
          i++;
          while (i < length && header[i] !== '"') {
            if (header[i] === '\\' && i + 1 < length) i++;
            value += header[i];
            i++;
          }
          i++;
          while (i < length && header[i] !== ';' && header[i] !== ',') i++;
        } else {
          start = i;
          while (i < length && header[i] !== ';' && header[i] !== ',') i++;
          value = header.slice(start, i).trim();
        }
      }
      if (key === '') continue;
      if (key === 'q') {
        q = parseQ(value);
        if (Number.isNaN(q)) valid = false;
      } else {
        params.set(key, value);
      }
    }
    i++; // the `,`
    const slash = mediaType.indexOf('/');
    if (!valid || slash <= 0 || slash === mediaType.length - 1) continue;
    const type = mediaType.slice(0, slash);
    const subtype = mediaType.slice(slash + 1);
    if (type === '*' && subtype !== '*') continue;
    ranges.push({ type, subtype, q, params });
  }
  return ranges;
}

/** A qvalue: `0` to `1` with at most three decimals; NaN when it is not one. */
function parseQ(value: string): number {
  if (!/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value)) return Number.NaN;
  return Number(value);
}
