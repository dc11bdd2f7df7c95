/** Status codes 100..599 as label strings, built once. */
const EXACT = Array.from({ length: 600 }, (_, code) => `${code}`);
const GROUPED = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** The `status_code` label for `status`: `'404'`, or `'4xx'` when grouping. */
export function statusLabel(status: number, group: boolean): string {
  if (status >= 100 && status < 600 && Number.isInteger(status)) {
    return group ? GROUPED[Math.floor(status / 100)]! : EXACT[status]!;
  }
  // Not a valid HTTP status: keep it visible but bounded.
  return 'invalid';
}

/** Methods recorded as themselves; anything else is one `_OTHER` value (as OpenTelemetry does). */
const KNOWN_METHODS: ReadonlySet<string> = new Set([
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'DELETE',
  'CONNECT',
  'OPTIONS',
  'TRACE',
  'PATCH',
  'QUERY',
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'REPORT',
  'SEARCH',
  'PURGE',
]);

export const OTHER_METHOD = '_OTHER';

/** The `method` label: bounded, so a client inventing methods cannot add series. */
export function methodLabel(method: string): string {
  // The common methods by comparison: cheaper than hashing a string the parser made.
  if (method === 'GET' || method === 'POST' || method === 'HEAD') return method;
  return KNOWN_METHODS.has(method) ? method : OTHER_METHOD;
}
