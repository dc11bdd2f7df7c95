/** The route every benchmark server answers, shared by the servers and the harness. */
export const HOST = '127.0.0.1';
export const HELLO_PATH = '/hello';
export const HELLO_BODY = 'hello world';

/** What a `traced-promkit` server's /metrics must show, asked for in OpenMetrics. */
export const OPENMETRICS_ACCEPT = 'application/openmetrics-text; version=1.0.0';
export const TRACE_EXEMPLAR =
  /^http_requests_total\{[^\n]*# \{trace_id="[0-9a-f]{32}",span_id="[0-9a-f]{16}"\}/m;
