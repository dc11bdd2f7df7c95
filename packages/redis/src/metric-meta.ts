import {
  type Collector,
  Counter,
  Gauge,
  Histogram,
  Info,
  type MetricType,
  StateSet,
  Summary,
} from '@promkit/core';
import type { GaugeMode } from './gauge-mode';

/** Every metric type a shared metric can have: all but `untyped`, which no class makes. */
export type SharedKind = Exclude<MetricType, 'untyped'>;

/** A core metric whose values the store shares through Redis. */
export type SharedInstance =
  | Counter<string>
  | Gauge<string>
  | Histogram<string>
  | Summary<string>
  | Info
  | StateSet<string, string>;

/** What Redis keeps about a metric so any process can expose it. */
export interface StoredMeta {
  readonly type: SharedKind;
  readonly help: string;
  readonly unit?: string;
  readonly labelNames: readonly string[];
  /** Classic bucket bounds of a histogram, `+Inf` excluded. */
  readonly buckets?: readonly number[];
  /** Aggregation of a gauge, info or state set. */
  readonly mode?: GaugeMode;
  readonly states?: readonly string[];
}

/**
 * The kind of a registered collector, or undefined for a custom collector (kept process
 * local). Checked by class because `register` runs inside the metric's constructor,
 * before its own fields (`type`, `buckets`) exist.
 */
export function sharedKindOf(collector: Collector): SharedKind | undefined {
  if (collector instanceof Counter) return 'counter';
  if (collector instanceof Gauge) return 'gauge';
  if (collector instanceof Histogram) return 'histogram';
  if (collector instanceof Summary) return 'summary';
  if (collector instanceof Info) return 'info';
  if (collector instanceof StateSet) return 'stateset';
  return undefined;
}

export function isGaugeLike(kind: SharedKind): kind is 'gauge' | 'info' | 'stateset' {
  return kind === 'gauge' || kind === 'info' || kind === 'stateset';
}

/** Reads the metadata of a fully constructed metric. */
export function metaOf(
  metric: SharedInstance,
  kind: SharedKind,
  mode: GaugeMode | undefined,
): StoredMeta {
  const labelNames = metric instanceof Info ? [] : [...metric.labelNames];
  const unit = metric instanceof Info ? undefined : metric.unit;
  return {
    type: kind,
    help: metric.help,
    ...(unit === undefined ? {} : { unit }),
    labelNames,
    ...(metric instanceof Histogram ? { buckets: [...metric.buckets] } : {}),
    ...(mode === undefined ? {} : { mode }),
    ...(metric instanceof StateSet ? { states: [...metric.states] } : {}),
  };
}

/**
 * The part of the metadata every process must agree on: values recorded under another
 * type, label set, bucket layout or mode cannot be summed together. Help and unit may
 * change between deployments (the last writer's text is shown).
 */
export function shapeOf(meta: StoredMeta): string {
  return JSON.stringify([
    meta.type,
    meta.labelNames,
    meta.buckets ?? null,
    meta.mode ?? null,
    meta.states ?? null,
  ]);
}

const KINDS: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'info', 'stateset'];

/** Parses stored metadata; undefined when it is not something this package wrote. */
export function parseMeta(json: string): StoredMeta | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const meta = value as Partial<Record<keyof StoredMeta, unknown>>;
  if (typeof meta.type !== 'string' || !KINDS.includes(meta.type)) return undefined;
  if (typeof meta.help !== 'string' || !Array.isArray(meta.labelNames)) return undefined;
  if (meta.type === 'histogram' && !isNumberArray(meta.buckets)) return undefined;
  return meta as StoredMeta;
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number');
}
