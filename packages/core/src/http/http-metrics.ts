import { ConfigError } from '../errors';
import type { LabelValues } from '../labels';
import { DEFAULT_BUCKETS, resolveBuckets } from '../metrics/buckets';
import { Counter } from '../metrics/counter';
import { stampRequestExemplars } from '../metrics/exemplar';
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
  UNKNOWN_PATH,
  UNMATCHED_PATH,
} from './http-options';
import { InFlightSeries } from './in-flight';
import { InstrumentationFaults } from './instrumentation-faults';
import { PathRules } from './path-rules';
import { requestSeconds, wallSecondsAt } from './request-clock';
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

/** What `contain()` wraps: hooks and listeners of up to three parameters. */
type ContainedArgs = [] | [unknown] | [unknown, unknown] | [unknown, unknown, unknown];

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
  /** Where caught faults are counted and reported. */
  readonly faults: InstrumentationFaults;
  private readonly rules: PathRules;
  private readonly groupStatusCodes: boolean;
  private readonly extraLabelNames: readonly L[];
  private readonly labelsHook: ((req: Req, res: Res) => LabelValues<L>) | undefined;
  private readonly beforeRecord: ((t: RequestTracker<Req, Res>) => void) | undefined;
  /** Bound children, when no labels hook varies the labels and the metrics allow it. */
  private readonly cache: SeriesCache | undefined;
  /** The in-flight gauge's series, bound. */
  private readonly inFlightSeries: InFlightSeries | undefined;
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
    if (options.onError !== undefined && typeof options.onError !== 'function') {
      throw new ConfigError(
        `createHttpMetrics: onError must be a function (error, stage) => void, got ${typeof options.onError}`,
      );
    }
    this.faults = new InstrumentationFaults(this.registry, options.onError);
    const faults = this.faults;
    this.#owner = {
      record: (t, status, aborted) => this.#record(t, status, aborted),
      discard: () => this.#discard(),
      fault: (stage, error) => faults.report(stage, error),
    };
    const prefix = options.prefix ?? '';
    const constLabels: Labels = options.constLabels ?? {};
    const limits = {
      ...(options.maxSeries === undefined ? {} : { maxSeries: options.maxSeries }),
      ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    };
    this.groupStatusCodes = options.groupStatusCodes === true;
    this.rules = new PathRules(
      options.excludePaths ?? DEFAULT_EXCLUDE_PATHS,
      options.normalizePath,
      options.unmatchedPath ?? UNMATCHED_PATH,
      (error) => faults.report('normalizePath', error),
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
          () => new Counter(name, help, { labelNames, constLabels, registry, ...limits }),
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
            ...limits,
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
    this.inFlightSeries =
      this.inFlight === undefined ? undefined : new InFlightSeries(this.inFlight);
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
   * Starts measuring a request, or returns `undefined` when its path is excluded (or the
   * instrumentation failed: never throws). `url` may carry a query string; only the path
   * before `?` is looked at.
   */
  start(method: string, url: string, req: Req, res: Res): RequestTracker<Req, Res> | undefined {
    try {
      const query = url.indexOf('?');
      const path = query === -1 ? url : url.slice(0, query);
      if (this.rules.excludes(path)) return undefined;
      const t = new RequestTracker(this.#owner, methodLabel(method), path, req, res);
      this.inFlightSeries?.inc();
      // The span is active now, inside the handler's context; the response often ends
      // outside it, so it is captured here.
      if (this.trace !== TRACE_OFF) t.trace = this.activeTrace();
      return t;
    } catch (error) {
      this.faults.report('start', error);
      return undefined;
    }
  }

  /** The active sampled span's labels; the first call decides whether to look at all. */
  private activeTrace(): Labels | undefined {
    if (this.trace === TRACE_UNRESOLVED) {
      this.trace = openTelemetryPresent() ? TRACE_ON : TRACE_OFF;
      if (this.trace === TRACE_OFF) return undefined;
    }
    return traceExemplar();
  }

  /**
   * Wraps an adapter's hook or event listener so that nothing it throws reaches the
   * framework or the event emitter: a throw is counted and reported (stage `adapter`)
   * and the wrapper returns `undefined`. Wrap only the instrumentation's part of a hook,
   * and call the framework's `next()`/`done()` outside it.
   *
   * @example
   * const onClose = http.contain(function onClose(this: ServerResponse) { … });
   */
  contain<This, A extends ContainedArgs, R>(
    fn: (this: This, ...args: A) => R,
  ): (this: This, ...args: A) => R | undefined {
    const faults = this.faults;
    const call = fn as unknown as (this: This, a: unknown, b: unknown, c: unknown) => R;
    // Fixed arity rather than rest + apply: this runs on every request.
    return function contained(this: This, a?: unknown, b?: unknown, c?: unknown): R | undefined {
      try {
        return call.call(this, a, b, c);
      } catch (error) {
        faults.report('adapter', error);
        return undefined;
      }
    } as (this: This, ...args: A) => R | undefined;
  }

  /** Forgets an ignored request. Called once per request by its tracker. */
  #discard(): void {
    try {
      this.inFlightSeries?.dec();
    } catch (error) {
      this.faults.report('record', error);
    }
  }

  /**
   * Records a finished request. Called once per request by its tracker; never throws. A
   * route lookup that fails records the request under `<unknown>`; a failing
   * `normalizePath` under the template (or `<unmatched>`); a failing `labels` hook with
   * empty extra labels.
   */
  #record(t: RequestTracker<Req, Res>, status: number, aborted: boolean): void {
    let lookupFailed = false;
    try {
      this.inFlightSeries?.dec();
      if (this.beforeRecord !== undefined) {
        try {
          this.beforeRecord(t);
        } catch (error) {
          lookupFailed = true;
          this.faults.report('route', error);
        }
      }
      const template = t.template;
      const path =
        typeof template === 'string'
          ? this.rules.templateLabel(template)
          : lookupFailed || t.routeUnknown
            ? UNKNOWN_PATH
            : this.rules.unmatchedLabel(t.rawPath);
      if (path === undefined) return;
      this.#observe(t, path, status, aborted);
    } catch (error) {
      stampRequestExemplars(undefined);
      this.faults.report('record', error);
    }
  }

  #observe(t: RequestTracker<Req, Res>, path: string, status: number, aborted: boolean): void {
    const end = requestSeconds();
    const seconds = end - t.startSeconds;
    const code = statusLabel(status, this.groupStatusCodes);
    const exemplar =
      this.exemplarHook === undefined
        ? t.trace
        : requestExemplar(t.trace, this.exemplarHook, t.req, t.res);
    // One wall-clock time for the request's exemplars, from the reading just taken; cleared
    // below, or by `#record`'s catch when a record throws.
    if (exemplar !== undefined) stampRequestExemplars(wallSecondsAt(end));
    const cache = this.cache;
    if (cache === undefined) {
      this.#observeLabelled(t, path, code, seconds, exemplar, aborted);
    } else {
      const series = cache.series(t.method, path, code);
      series.requests?.inc(1, exemplar);
      if (!aborted) series.responses?.inc();
      if (t.errored) series.exceptions?.inc();
      series.statusCodes?.inc();
      series.duration?.observe(seconds, exemplar);
    }
    if (exemplar !== undefined) stampRequestExemplars(undefined);
  }

  /** `#observe` with a labels hook: the series found by label values (a method of its own). */
  #observeLabelled(
    t: RequestTracker<Req, Res>,
    path: string,
    code: string,
    seconds: number,
    exemplar: Labels | undefined,
    aborted: boolean,
  ): void {
    const route = this.withExtraLabels({ method: t.method, path }, t);
    const withStatus = { ...route, status_code: code };
    this.requests?.incWithExemplar(route, 1, exemplar);
    if (!aborted) this.responses?.inc(route);
    if (t.errored) this.exceptions?.inc(route);
    this.statusCodes?.inc(withStatus);
    this.duration?.observeWithExemplar(withStatus, seconds, exemplar);
  }

  /**
   * The hook's values for the declared extra labels. A missing value gives ''; a hook that
   * throws, returns a non-object or a value that is not a string or number is a fault
   * (stage `labels`) and gives '' for what it could not read.
   */
  private withExtraLabels(base: Record<string, string>, t: RequestTracker<Req, Res>): Labels {
    if (this.labelsHook === undefined) return base;
    for (const name of this.extraLabelNames) base[name] = '';
    try {
      const values: unknown = this.labelsHook(t.req, t.res);
      if (values === undefined) return base;
      if (typeof values !== 'object' || values === null) {
        throw new TypeError(`the labels hook must return an object, got ${labelType(values)}`);
      }
      let wrong: string | undefined;
      for (const name of this.extraLabelNames) {
        const value = (values as Record<string, unknown>)[name];
        if (typeof value === 'string') base[name] = value;
        else if (typeof value === 'number') base[name] = `${value}`;
        else if (value !== undefined) wrong ??= `label "${name}" is ${labelType(value)}`;
      }
      if (wrong !== undefined) {
        throw new TypeError(`the labels hook must return strings or numbers: ${wrong}`);
      }
    } catch (error) {
      this.faults.report('labels', error);
    }
    return base;
  }
}

function labelType(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
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
