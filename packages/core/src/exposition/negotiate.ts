/** A format `render()` can answer with, and the exact Content-Type it answers. */
export interface ExpositionFormat {
  readonly name: 'text' | 'openmetrics' | 'protobuf';
  readonly contentType: string;
}

export const TEXT_FORMAT: ExpositionFormat = Object.freeze({
  name: 'text',
  contentType: 'text/plain; version=0.0.4; charset=utf-8',
});

export const OPENMETRICS_FORMAT: ExpositionFormat = Object.freeze({
  name: 'openmetrics',
  contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
});

/** OpenMetrics for a client that accepts only the pre-1.0 version string. */
export const OPENMETRICS_0_0_1_FORMAT: ExpositionFormat = Object.freeze({
  name: 'openmetrics',
  contentType: 'application/openmetrics-text; version=0.0.1; charset=utf-8',
});

export const PROTOBUF_FORMAT: ExpositionFormat = Object.freeze({
  name: 'protobuf',
  contentType:
    'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
});

/** Candidates in the order that breaks a tie between explicitly named media types. */
const CANDIDATES = [PROTOBUF_FORMAT, OPENMETRICS_FORMAT, OPENMETRICS_0_0_1_FORMAT, TEXT_FORMAT];
const PROTOBUF = 0;
const OPENMETRICS = 1;
const OPENMETRICS_0_0_1 = 2;
const TEXT = 3;

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
 * @example
 * const { contentType } = negotiate(request.headers.accept);
 */
export function negotiate(accept: string | null | undefined): ExpositionFormat {
  if (accept === null || accept === undefined) return TEXT_FORMAT;
  // Scrapers send the same header on every scrape.
  if (accept === lastAccept) return lastFormat;
  const format = choose(parseAccept(accept));
  lastAccept = accept;
  lastFormat = format;
  return format;
}

function choose(ranges: readonly MediaRange[]): ExpositionFormat {
  const matches: (Match | undefined)[] = [undefined, undefined, undefined, undefined];
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
  return best === -1 ? TEXT_FORMAT : CANDIDATES[best]!;
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
    return subtype === '*' && candidate !== PROTOBUF && candidate !== OPENMETRICS_0_0_1 ? ANY : 0;
  }
  if (subtype === '*') {
    if (type === 'text' && candidate === TEXT) return TYPE_WILDCARD;
    if (type === 'application' && candidate === OPENMETRICS) return TYPE_WILDCARD;
    return 0;
  }
  const specific = params.size > 0 ? EXACT_WITH_PARAMS : EXACT;
  if (type === 'text' && subtype === 'plain') {
    // Any text/plain version is answered with 0.0.4, the only text version there is.
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
