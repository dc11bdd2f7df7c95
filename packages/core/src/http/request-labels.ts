/**
 * Status codes 100..599 as label strings, built once, by index: `undefined` at 0..99, so
 * one read answers both "is it a valid status" and "its label" (a fraction, NaN or a
 * number out of range reads `undefined` too).
 */
const EXACT: ReadonlyArray<string | undefined> = Array.from({ length: 600 }, (_, code) =>
  code >= 100 ? `${code}` : undefined,
);
const GROUPED = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** The `status_code` label for `status`: `'404'`, or `'4xx'` when grouping. */
export function statusLabel(status: number, group: boolean): string {
  const exact = typeof status === 'number' ? EXACT[status] : undefined;
  // Not a valid HTTP status: keep it visible but bounded.
  if (exact === undefined) return 'invalid';
  return group ? GROUPED[exact.charCodeAt(0) - 48]! : exact;
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

/** The method `methodLabel` saw last and its label. */
let lastMethod: unknown;
let lastLabel = OTHER_METHOD;

/** The `method` label: bounded, so a client inventing methods cannot add series. */
export function methodLabel(method: string): string {
  // The runtime hands out one string per method (Node's parser keeps a table of them), so
  // the previous request's is compared by reference: no call to compare characters.
  if (method === lastMethod) return lastLabel;
  // The common methods by comparison: cheaper than hashing a string the parser made.
  const label =
    method === 'GET' || method === 'POST' || method === 'HEAD' || KNOWN_METHODS.has(method)
      ? method
      : OTHER_METHOD;
  lastMethod = method;
  lastLabel = label;
  return label;
}
