import type { LabelValues } from '../labels';
import type { NativeHistogramOptions } from '../metrics/native-histogram';
import type { Labels } from '../model';
import type { Registry } from '../registry';
import type { InstrumentationErrorHandler } from './instrumentation-faults';

/** aioprometheus' default `exclude_paths`: the scrape endpoint, API docs and the favicon. */
export const DEFAULT_EXCLUDE_PATHS: readonly string[] = Object.freeze([
  '/metrics',
  '/metrics/',
  '/docs',
  '/openapi.json',
  '/docs/oauth2-redirect',
  '/redoc',
  '/favicon.ico',
]);

/** The `path` label of every request no route matched (404s, scanners). */
export const UNMATCHED_PATH = '<unmatched>';

/**
 * The `path` label of a request whose route could not be looked up because the lookup
 * itself failed (a framework internal that threw, e.g. two installed copies of the
 * framework). Such a request is still counted, under this one constant label, and the
 * fault in `promkit_instrumentation_errors_total{stage="route"}`.
 */
export const UNKNOWN_PATH = '<unknown>';

/** The status recorded for a request whose client went away before the last byte. */
export const ABORTED_STATUS = 499;

/** Longest raw path (in UTF-16 units) a user RegExp is run against; the rest is ignored. */
export const MAX_MATCHED_PATH_LENGTH = 2048;

/** `false` turns a default metric off; an object renames it or changes its help. */
export type MetricToggle = boolean | { readonly name?: string; readonly help?: string };

/**
 * The names of the default metrics. `'promkit'` (the default): `http_requests_total`-style
 * names, stored under the same series names whether Prometheus scrapes text, OpenMetrics
 * or protobuf, and clean under `promtool check metrics`. `'aioprometheus'`: that
 * library's counter names and help texts (`requests_total_counter`, …); OpenMetrics
 * scrapes store those counters with `_total` appended, and promtool's lint flags them.
 */
export type HttpMetricNames = 'promkit' | 'aioprometheus';

/** Which default metrics to create (all by default). Names are those of `names: 'promkit'`. */
export interface HttpMetricSelection {
  /** `http_requests_total{method,path}`: requests received (counted when they end). */
  readonly requests?: MetricToggle;
  /** `http_responses_total{method,path}`: responses sent (aborted requests are not). */
  readonly responses?: MetricToggle;
  /** `http_exceptions_total{method,path}`: requests whose handler threw. */
  readonly exceptions?: MetricToggle;
  /** `http_requests_by_status_total{method,path,status_code}`: requests by status (499: aborted). */
  readonly statusCodes?: MetricToggle;
  /** `http_request_duration_seconds{method,path,status_code}`: arrival to last byte. */
  readonly duration?: MetricToggle;
  /** `http_requests_in_flight`: requests being served now. */
  readonly inFlight?: MetricToggle;
}

/**
 * Rewrites the `path` label. A list of `[RegExp, replacement]` pairs is applied in order
 * with `String.prototype.replace`; a function returns the label or `undefined` to keep
 * the default. Called with the route template for matched requests (the result is
 * cached per template) and with the raw path for unmatched ones, where `undefined` (or
 * no rule matching) keeps `<unmatched>`.
 */
export type NormalizePath =
  | ReadonlyArray<readonly [RegExp, string]>
  | ((path: string, matched: boolean) => string | undefined);

/**
 * Options of `createHttpMetrics` and of every adapter. `Req` and `Res` are whatever the
 * adapter passes to the `labels` hook (documented per adapter).
 */
export interface HttpMetricsOptions<Req = unknown, Res = unknown, L extends string = never> {
  /** Where the metrics live. Default: the global `REGISTRY`. Metrics already there are reused. */
  readonly registry?: Registry;
  /** Prepended to every metric name, e.g. `'shop_'`. */
  readonly prefix?: string;
  /** Labels added to every series, e.g. `{ service: 'shop' }`. */
  readonly constLabels?: Labels;
  /**
   * Requests not recorded: exact paths (strings) or RegExps, checked against the raw path
   * (query string removed) and against the route template. Default `DEFAULT_EXCLUDE_PATHS`.
   */
  readonly excludePaths?: ReadonlyArray<string | RegExp>;
  /** Record `2xx`, `4xx`… instead of `200`, `404`… Default false. */
  readonly groupStatusCodes?: boolean;
  /** Classic bucket bounds of the duration histogram. Default `DEFAULT_BUCKETS`. */
  readonly buckets?: readonly number[];
  /**
   * Native (sparse exponential) buckets for the duration histogram; `true` takes the
   * defaults. Without `buckets` too, the histogram has native buckets only.
   */
  readonly nativeHistogram?: NativeHistogramOptions | true;
  /** Which set of default names to use; see `HttpMetricNames`. Default `'promkit'`. */
  readonly names?: HttpMetricNames;
  /** Turn default metrics off, rename them or change their help. */
  readonly metrics?: HttpMetricSelection;
  /** Names of the labels the `labels` hook returns. Required with `labels`. */
  readonly extraLabelNames?: readonly L[];
  /**
   * Extra label values for one finished request, added to every metric but the in-flight
   * gauge. Nothing from the request becomes a label unless this hook puts it there.
   */
  readonly labels?: (req: Req, res: Res) => LabelValues<L>;
  /**
   * Most series each metric keeps (see `MetricOptions.maxSeries`); further label sets fold
   * into one overflow series. Default 10 000.
   */
  readonly maxSeries?: number;
  /**
   * Removes a series (a method/path/status/extra-label combination) not updated for this
   * many seconds at the next scrape; see `MetricOptions.ttlSeconds`. Default: never.
   */
  readonly ttlSeconds?: number;
  /** The clock `ttlSeconds` is measured with, in seconds (for tests). Default: monotonic. */
  readonly clock?: () => number;
  /** Rewrites the `path` label; see `NormalizePath`. */
  readonly normalizePath?: NormalizePath;
  /** The `path` label of unmatched requests. Default `<unmatched>`. */
  readonly unmatchedPath?: string;
  /**
   * Exemplars on the requests counter and the duration histogram. Default: on when
   * OpenTelemetry is registered in the process (checked at the first request): a request
   * that starts inside a sampled span records its `trace_id` and `span_id`. `false` turns
   * exemplars off, the `exemplar` hook included.
   */
  readonly exemplars?: boolean;
  /**
   * Extra exemplar labels for one finished request (or `undefined`), after the trace
   * labels. Labels that would take the set past OpenMetrics' 128 characters, or that are
   * not valid label names, are dropped; a throwing hook adds nothing.
   */
  readonly exemplar?: (req: Req, res: Res) => Labels | undefined;
  /**
   * Told about every fault the instrumentation caught (a hook that threw, a route lookup
   * that failed…); the request is still answered unchanged and, where possible, recorded.
   * Each fault is also counted in `promkit_instrumentation_errors_total{stage}`.
   * Default: one `console.warn` per stage.
   */
  readonly onError?: InstrumentationErrorHandler;
}
