import {
  type Collector,
  type Registry as CoreRegistry,
  DuplicateMetricError,
  type MetricFamily,
} from '@promkit/core';
import { escapeText, formatValue, labelPairs } from './format';
import { isNative, isPromise, RELEASE, RUN_COLLECT, TO_FAMILY, WRITE_TEXT } from './internal';
import type { StoredLabels } from './labels';
import { familyFromSnapshot } from './to-family';
import {
  type MetricObjectWithValues,
  type MetricSnapshot,
  type MetricValueWithName,
  OPENMETRICS_CONTENT_TYPE,
  type OpenMetricsContentType,
  PROMETHEUS_CONTENT_TYPE,
  type PrometheusContentType,
  type RegistrableMetric,
  type RegistryContentType,
} from './types';

/** Where the process-wide global registry lives (shared by the ESM and CommonJS builds). */
export const GLOBAL_KEY = Symbol.for('promkit.prom-client.globalRegistry');

function checkContentType(type: unknown, ErrorClass: ErrorConstructor): void {
  if (type !== PROMETHEUS_CONTENT_TYPE && type !== OPENMETRICS_CONTENT_TYPE) {
    throw new ErrorClass(`Content type ${String(type)} is unsupported`);
  }
}

/**
 * prom-client's `Registry`: holds metrics by name and renders prom-client's text
 * (Prometheus 0.0.4 or OpenMetrics, fixed per registry). A registry linked to a promkit
 * registry (the global `register` is linked to promkit's `REGISTRY`) also registers
 * each metric there, so every promkit endpoint serves it with content negotiation.
 *
 * @example
 * const registry = new Registry();
 * new Counter({ name: 'jobs_total', help: 'Jobs run.', registers: [registry] });
 * const text = await registry.metrics();
 */
export class Registry<C extends RegistryContentType = PrometheusContentType> {
  static get PROMETHEUS_CONTENT_TYPE(): PrometheusContentType {
    return PROMETHEUS_CONTENT_TYPE;
  }

  static get OPENMETRICS_CONTENT_TYPE(): OpenMetricsContentType {
    return OPENMETRICS_CONTENT_TYPE;
  }

  /** The global registry (`register`), as prom-client exposes it on the class. */
  static get globalRegistry(): Registry {
    return (globalThis as { [GLOBAL_KEY]?: Registry })[GLOBAL_KEY] as Registry;
  }

  private _metrics = new Map<string, RegistrableMetric>();
  private _defaultLabels: StoredLabels = {};
  private _contentType: C;
  private linked: CoreRegistry | undefined;
  private readonly coreEntries = new Map<string, Collector>();

  constructor(contentType: C = PROMETHEUS_CONTENT_TYPE as C) {
    checkContentType(contentType, TypeError);
    this._contentType = contentType;
  }

  get contentType(): C {
    return this._contentType;
  }

  setContentType(contentType: C): void {
    checkContentType(contentType, Error);
    this._contentType = contentType;
  }

  getMetricsAsArray(): RegistrableMetric[] {
    return [...this._metrics.values()];
  }

  registerMetric(metric: RegistrableMetric): void {
    const existing = this._metrics.get(metric.name);
    if (existing !== undefined && existing !== metric) {
      throw new Error(`A metric with the name ${metric.name} has already been registered.`);
    }
    if (existing === metric) return;
    if (this.linked !== undefined) this.registerInCore(this.linked, metric);
    this._metrics.set(metric.name, metric);
  }

  removeSingleMetric(name: string): void {
    const metric = this._metrics.get(name);
    if (metric === undefined) return;
    this._metrics.delete(name);
    this.unregisterInCore(name);
    releaseIfUnused(metric);
  }

  clear(): void {
    const metrics = [...this._metrics.values()];
    for (const name of this._metrics.keys()) this.unregisterInCore(name);
    this._metrics = new Map();
    this._defaultLabels = {};
    for (const metric of metrics) releaseIfUnused(metric);
  }

  getSingleMetric(name: string): RegistrableMetric | undefined {
    return this._metrics.get(name);
  }

  setDefaultLabels(labels: object): void {
    this._defaultLabels = { ...(labels as StoredLabels) };
  }

  resetMetrics(): void {
    for (const metric of this._metrics.values()) metric.reset?.();
  }

  async getMetricsAsJSON(): Promise<MetricObjectWithValues<MetricValueWithName<string>>[]> {
    const snapshots = await Promise.all(this.getMetricsAsArray().map((metric) => metric.get()));
    const defaults = Object.keys(this._defaultLabels);
    if (defaults.length > 0) {
      for (const snapshot of snapshots) {
        for (const sample of snapshot.values ?? []) {
          const labels: Record<string, unknown> = { ...sample.labels };
          for (const name of defaults) labels[name] = labels[name] || this._defaultLabels[name];
          sample.labels = labels;
        }
      }
    }
    return snapshots as MetricObjectWithValues<MetricValueWithName<string>>[];
  }

  /** prom-client's text of every metric, in registration order. */
  metrics(): Promise<string> {
    const openMetrics = this._contentType === OPENMETRICS_CONTENT_TYPE;
    const parts: Array<string | Promise<string>> = [];
    let pending = false;
    for (const metric of this._metrics.values()) {
      const part = this.textOf(metric, openMetrics);
      if (typeof part !== 'string') pending = true;
      parts.push(part);
    }
    const join = (texts: readonly string[]): string =>
      openMetrics ? `${texts.join('\n')}\n# EOF\n` : `${texts.join('\n\n')}\n`;
    if (!pending) return Promise.resolve(join(parts as string[]));
    return Promise.all(parts).then(join);
  }

  getSingleMetricAsString(name: string): Promise<string> {
    const metric = this._metrics.get(name);
    if (metric === undefined) return Promise.reject(new Error(`No metric named ${name}`));
    return Promise.resolve(this.textOf(metric, this._contentType === OPENMETRICS_CONTENT_TYPE));
  }

  /** prom-client's text of one metric (`registry.getMetricsAsString(metric)`). */
  async getMetricsAsString(metric: RegistrableMetric): Promise<string> {
    return this.textOf(metric, this._contentType === OPENMETRICS_CONTENT_TYPE);
  }

  /**
   * A registry made of the metrics of `registers`, which must share one content type.
   * A name present in two of them throws.
   */
  static merge<T extends RegistryContentType>(registers: Registry<T>[]): Registry<T> {
    const type = registers[0]!.contentType;
    for (const registry of registers) {
      if (registry.contentType !== type) {
        throw new Error('Registers can only be merged if they have the same content type');
      }
    }
    const merged = new Registry<T>(type);
    for (const registry of registers) {
      for (const metric of registry.getMetricsAsArray()) merged.registerMetric(metric);
    }
    return merged;
  }

  private textOf(metric: RegistrableMetric, openMetrics: boolean): string | Promise<string> {
    const defaults = this.defaults();
    if (isNative(metric)) {
      const collected = metric[RUN_COLLECT]();
      if (isPromise(collected)) {
        return collected.then(() => metric[WRITE_TEXT](openMetrics, defaults));
      }
      return metric[WRITE_TEXT](openMetrics, defaults);
    }
    const read = metric.getForPromString ?? metric.get;
    return Promise.resolve(read.call(metric)).then((snapshot) =>
      snapshotText(snapshot, openMetrics, defaults),
    );
  }

  private defaults(): StoredLabels | undefined {
    for (const _ in this._defaultLabels) return this._defaultLabels;
    return undefined;
  }

  /**
   * Links this registry to a promkit registry (once): every metric registered here (now
   * and later) is registered there too, under its name, so a name clash with a promkit
   * metric is caught at registration.
   */
  linkTo(core: CoreRegistry): void {
    // First link wins: the ESM and CommonJS builds both link the one global registry.
    if (this.linked !== undefined) return;
    this.linked = core;
    for (const metric of this._metrics.values()) this.registerInCore(core, metric);
  }

  private registerInCore(core: CoreRegistry, metric: RegistrableMetric): void {
    const entry: Collector = {
      name: metric.name,
      collect: () => this.familyOf(metric),
    };
    try {
      core.register(entry);
    } catch (error) {
      if (error instanceof DuplicateMetricError) {
        throw new Error(`A metric with the name ${metric.name} has already been registered.`, {
          cause: error,
        });
      }
      throw error;
    }
    this.coreEntries.set(metric.name, entry);
  }

  private unregisterInCore(name: string): void {
    const entry = this.coreEntries.get(name);
    if (entry === undefined) return;
    this.coreEntries.delete(name);
    this.linked?.unregister(entry);
  }

  private familyOf(metric: RegistrableMetric): MetricFamily | Promise<MetricFamily> {
    const defaults = this.defaults();
    if (isNative(metric)) {
      const collected = metric[RUN_COLLECT]();
      if (isPromise(collected)) return collected.then(() => metric[TO_FAMILY](defaults));
      return metric[TO_FAMILY](defaults);
    }
    return Promise.resolve(metric.get.call(metric)).then((snapshot) =>
      familyFromSnapshot(snapshot, defaults),
    );
  }
}

function releaseIfUnused(metric: RegistrableMetric): void {
  (metric as { [RELEASE]?: () => void })[RELEASE]?.();
}

/** prom-client's text of one `get()` snapshot. */
export function snapshotText(
  snapshot: MetricSnapshot,
  openMetrics: boolean,
  defaults: StoredLabels | undefined,
): string {
  const isCounter = snapshot.type === 'counter';
  const rawName = openMetrics && isCounter ? snapshot.name.replace(/_total$/, '') : snapshot.name;
  const name = escapeText(rawName);
  let out = `# HELP ${name} ${escapeText(snapshot.help)}\n# TYPE ${name} ${snapshot.type}`;
  for (const sample of snapshot.values ?? []) {
    let metricName = sample.metricName ?? name;
    if (openMetrics && isCounter) metricName += '_total';
    let labels: object = sample.labels ?? {};
    if (defaults !== undefined) labels = { ...labels, ...defaults, ...labels };
    const shared = sample.sharedLabels ?? {};
    const own = labelPairs(labels, shared);
    const sharedText = labelPairs(shared);
    const all = own === '' ? sharedText : sharedText === '' ? own : `${own},${sharedText}`;
    out += `\n${metricName}${all === '' ? '' : `{${all}}`} ${formatValue(sample.value)}`;
    const exemplar = sample.exemplar;
    if (exemplar && openMetrics) {
      out += ` # {${labelPairs(exemplar.labelSet)}} ${formatValue(exemplar.value as number)} ${exemplar.timestamp}`;
    }
  }
  return out;
}
