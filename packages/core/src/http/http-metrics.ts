import { monotonicSeconds } from '../clock';
import { ConfigError } from '../errors';
import type { LabelValues } from '../labels';
import { DEFAULT_BUCKETS, resolveBuckets } from '../metrics/buckets';
import { Counter } from '../metrics/counter';
import { Gauge } from '../metrics/gauge';
import { Histogram } from '../metrics/histogram';
import { openTelemetryPresent, traceExemplar } from '../metrics/trace-exemplar';
import type { Labels } from '../model';
import { REGISTRY, type Registry } from '../registry';
import {
  DEFAULT_EXCLUDE_PATHS,
  type HttpMetricNames,
  type HttpMetricSelection,
  type HttpMetricsOptions,
  UNMATCHED_PATH,
} from './http-options';
import { PathRules } from './path-rules';
import { requestExemplar } from './request-exemplar';
import { methodLabel, statusLabel } from './request-labels';
import { RequestTracker, type TrackerOwner } from './request-tracker';
import { reuseOrCreate } from './reuse-metric';
import { SeriesCache } from './series-cache';

type Key = keyof HttpMetricSelection;

type Named = Record<Key, { readonly name: string; readonly help: string }>;

/**
 * The default names: one stored name per series whatever the scrape format (counters end
 * in `_total`, so OpenMetrics adds nothing) and clean under promtool's lint.
 */
const PROMKIT_NAMES: Named = {
  requests: {
    name: 'http_requests_total',
    help: 'HTTP requests received, counted when they end (aborted ones too)',
  },
  responses: {
    name: 'http_responses_total',
    help: 'HTTP responses sent (aborted requests are not counted)',
  },
  exceptions: { name: 'http_exceptions_total', help: 'HTTP requests whose handler threw' },
  statusCodes: {
    name: 'http_requests_by_status_total',
    help: 'HTTP requests by status code (499: the client went away first)',
  },
  duration: {
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, from arrival to the last byte of the response',
  },
  inFlight: { name: 'http_requests_in_flight', help: 'HTTP requests being served' },
};

/** aioprometheus' counter names and help texts (verbatim, typo included). */
const AIOPROMETHEUS_NAMES: Named = {
  ...PROMKIT_NAMES,
  requests: { name: 'requests_total_counter', help: 'Total number of requests received' },
  responses: { name: 'responses_total_counter', help: 'Total number of responses sent' },
  exceptions: {
    name: 'exceptions_total_counter',
    help: 'Total number of requested which generated an exception',
  },
  statusCodes: { name: 'status_codes_counter', help: 'Total number of response status codes' },
};

const NAME_PRESETS: Readonly<Record<HttpMetricNames, Named>> = {
  promkit: PROMKIT_NAMES,
  aioprometheus: AIOPROMETHEUS_NAMES,
};

/** Whether OpenTelemetry spans are read: not yet known (first request decides), yes, no. */
const TRACE_UNRESOLVED = 0;
const TRACE_ON = 1;
const TRACE_OFF = 2;

const ROUTE_LABELS = ['method', 'path'] as const;
const STATUS_LABELS = ['method', 'path', 'status_code'] as const;

/** What an adapter tells the instrumentation once, at creation. */
export interface HttpAdapterHooks<Req, Res> {
  /**
   * Called just before a request is recorded (ended or aborted), to read what the
   * framework knows by then: `t.matched(template)`, `t.exception(error)`.
   */
  readonly beforeRecord?: (t: RequestTracker<Req, Res>) => void;
}

/**
 * The HTTP instrumentation every adapter shares: options are resolved and metrics
 * created (or reused from the registry) once; `start()` is all an adapter calls per
 * request.
 */
export class HttpMetrics<Req = unknown, Res = unknown, L extends string = never> {
  readonly registry: Registry;
  readonly requests: Counter<string> | undefined;
  readonly responses: Counter<string> | undefined;
  readonly exceptions: Counter<string> | undefined;
  readonly statusCodes: Counter<string> | undefined;
  readonly duration: Histogram<string> | undefined;
  readonly inFlight: Gauge<never> | undefined;
  private readonly rules: PathRules;
  private readonly groupStatusCodes: boolean;
  private readonly extraLabelNames: readonly L[];
  private readonly labelsHook: ((req: Req, res: Res) => LabelValues<L>) | undefined;
  private readonly beforeRecord: ((t: RequestTracker<Req, Res>) => void) | undefined;
  /** Bound children, when no labels hook varies the labels and the metrics allow it. */
  private readonly cache: SeriesCache | undefined;
  /** What trackers report to; kept private so recording is not part of the public API. */
  readonly #owner: TrackerOwner<Req, Res>;
  private trace: number;
  private readonly exemplarHook: ((req: Req, res: Res) => Labels | undefined) | undefined;

  constructor(
    options: HttpMetricsOptions<Req, Res, L> = {},
    hooks: HttpAdapterHooks<Req, Res> = {},
  ) {
    this.registry = options.registry ?? REGISTRY;
    this.beforeRecord = hooks.beforeRecord;
    this.#owner = {
      record: (t, status, aborted) => this.#record(t, status, aborted),
      discard: () => this.inFlight?.dec(),
    };
    const prefix = options.prefix ?? '';
    const constLabels: Labels = options.constLabels ?? {};
    this.groupStatusCodes = options.groupStatusCodes === true;
    this.rules = new PathRules(
      options.excludePaths ?? DEFAULT_EXCLUDE_PATHS,
      options.normalizePath,
      options.unmatchedPath ?? UNMATCHED_PATH,
    );
    if (options.exemplars !== undefined && typeof options.exemplars !== 'boolean') {
      throw new ConfigError(
        `createHttpMetrics: exemplars must be true or false, got ${JSON.stringify(options.exemplars)}`,
      );
    }
    if (options.exemplar !== undefined && typeof options.exemplar !== 'function') {
      throw new ConfigError('createHttpMetrics: exemplar must be a function (req, res) => labels');
    }
    this.trace = options.exemplars === false ? TRACE_OFF : TRACE_UNRESOLVED;
    this.exemplarHook = options.exemplars === false ? undefined : options.exemplar;
    this.extraLabelNames = [...(options.extraLabelNames ?? [])];
    this.labelsHook = options.labels;
    if (this.labelsHook !== undefined && typeof this.labelsHook !== 'function') {
      throw new ConfigError('createHttpMetrics: labels must be a function (req, res) => labels');
    }
    if (this.labelsHook !== undefined && this.extraLabelNames.length === 0) {
      throw new ConfigError(
        'createHttpMetrics: a labels hook needs extraLabelNames listing the labels it returns',
      );
    }
    const extra = this.extraLabelNames as readonly string[];
    const routeLabels = [...ROUTE_LABELS, ...extra];
    const statusLabels = [...STATUS_LABELS, ...extra];
    const selection = options.metrics ?? {};
    const preset = options.names ?? 'promkit';
    const defaults = Object.hasOwn(NAME_PRESETS, preset) ? NAME_PRESETS[preset] : undefined;
    if (defaults === undefined) {
      throw new ConfigError(
        `createHttpMetrics: names must be 'promkit' or 'aioprometheus', got ${JSON.stringify(preset)}`,
      );
    }
    const registry = this.registry;
    const metric = <M>(key: Key, make: (name: string, help: string) => M): M | undefined => {
      const toggle = selection[key];
      if (toggle === false) return undefined;
      const given = typeof toggle === 'object' && toggle !== null ? toggle : {};
      return make(`${prefix}${given.name ?? defaults[key].name}`, given.help ?? defaults[key].help);
    };
    const counter = (key: Key, labelNames: readonly string[]) =>
      metric(key, (name, help) =>
        reuseOrCreate<Counter<string>>(
          registry,
          { type: 'counter', name, labelNames, constLabels },
          () => new Counter(name, help, { labelNames, constLabels, registry }),
        ),
      );
    this.requests = counter('requests', routeLabels);
    this.responses = counter('responses', routeLabels);
    this.exceptions = counter('exceptions', routeLabels);
    this.statusCodes = counter('statusCodes', statusLabels);
    this.duration = metric('duration', (name, help) => {
      const native = options.nativeHistogram;
      const requested = options.buckets ?? (native === undefined ? DEFAULT_BUCKETS : []);
      const buckets = [...resolveBuckets(name, requested)];
      return reuseOrCreate<Histogram<string>>(
        registry,
        { type: 'histogram', name, labelNames: statusLabels, constLabels, buckets },
        () =>
          new Histogram(name, help, {
            labelNames: statusLabels,
            constLabels,
            registry,
            unit: 'seconds',
            ...(options.buckets === undefined ? {} : { buckets: options.buckets }),
            ...(native === undefined ? {} : { native }),
          }),
      );
    });
    this.inFlight = metric('inFlight', (name, help) =>
      reuseOrCreate(
        registry,
        { type: 'gauge', name, labelNames: [], constLabels },
        () => new Gauge<never>(name, help, { labelNames: [], constLabels, registry }),
      ),
    );
    this.cache =
      this.labelsHook === undefined
        ? new SeriesCache(
            this.requests,
            this.responses,
            this.exceptions,
            this.statusCodes,
            this.duration,
          )
        : undefined;
  }

  /**
   * Starts measuring a request, or returns `undefined` when its path is excluded.
   * `url` may carry a query string; only the path before `?` is looked at.
   */
  start(method: string, url: string, req: Req, res: Res): RequestTracker<Req, Res> | undefined {
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    if (this.rules.excludes(path)) return undefined;
    this.inFlight?.inc();
    const t = new RequestTracker(this.#owner, methodLabel(method), path, req, res);
    // The span is active now, inside the handler's context; the response often ends
    // outside it, so it is captured here.
    if (this.trace !== TRACE_OFF) t.trace = this.activeTrace();
    return t;
  }

  /** The active sampled span's labels; the first call decides whether to look at all. */
  private activeTrace(): Labels | undefined {
    if (this.trace === TRACE_UNRESOLVED) {
      this.trace = openTelemetryPresent() ? TRACE_ON : TRACE_OFF;
      if (this.trace === TRACE_OFF) return undefined;
    }
    return traceExemplar();
  }

  /** Records a finished request. Called once per request by its tracker. */
  #record(t: RequestTracker<Req, Res>, status: number, aborted: boolean): void {
    this.inFlight?.dec();
    this.beforeRecord?.(t);
    const path =
      t.template === undefined
        ? this.rules.unmatchedLabel(t.rawPath)
        : this.rules.templateLabel(t.template);
    if (path === undefined) return;
    const seconds = monotonicSeconds() - t.startSeconds;
    const code = statusLabel(status, this.groupStatusCodes);
    const exemplar =
      this.exemplarHook === undefined
        ? t.trace
        : requestExemplar(t.trace, this.exemplarHook, t.req, t.res);
    const cache = this.cache;
    if (cache !== undefined) {
      const route = cache.route(t.method, path);
      route.requests?.inc(1, exemplar);
      if (!aborted) route.responses?.inc();
      if (t.errored) route.exceptions?.inc();
      const series = cache.status(route, t.method, path, code);
      series.statusCodes?.inc();
      series.duration?.observe(seconds, exemplar);
      return;
    }
    const route = this.withExtraLabels({ method: t.method, path }, t);
    const withStatus = { ...route, status_code: code };
    this.requests?.incWithExemplar(route, 1, exemplar);
    if (!aborted) this.responses?.inc(route);
    if (t.errored) this.exceptions?.inc(route);
    this.statusCodes?.inc(withStatus);
    this.duration?.observeWithExemplar(withStatus, seconds, exemplar);
  }

  /** The hook's values for the declared extra labels; a throwing hook or a missing value gives ''. */
  private withExtraLabels(base: Record<string, string>, t: RequestTracker<Req, Res>): Labels {
    if (this.labelsHook === undefined) return base;
    let values: Readonly<Record<string, unknown>> | undefined;
    try {
      values = this.labelsHook(t.req, t.res) as Readonly<Record<string, unknown>> | undefined;
    } catch {
      values = undefined;
    }
    for (const name of this.extraLabelNames) {
      const value = values?.[name];
      base[name] = typeof value === 'string' ? value : typeof value === 'number' ? `${value}` : '';
    }
    return base;
  }
}

/**
 * Creates the HTTP instrumentation an adapter maps its framework's hooks onto.
 *
 * @example
 * const http = createHttpMetrics(options, { beforeRecord: (t) => t.matched(templateOf(t.req)) });
 * const t = http.start(req.method, req.url, req, res); // undefined when excluded
 * t?.end(200); // or t?.aborted(), from whichever hook fires first
 */
export function createHttpMetrics<Req = unknown, Res = unknown, L extends string = never>(
  options?: HttpMetricsOptions<Req, Res, L>,
  hooks?: HttpAdapterHooks<Req, Res>,
): HttpMetrics<Req, Res, L> {
  return new HttpMetrics(options, hooks);
}
