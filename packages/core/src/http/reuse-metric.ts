import { DuplicateMetricError } from '../errors';
import type { Labels, MetricType } from '../model';
import type { Registry } from '../registry';

/** What a metric must look like to be reused instead of created. */
export interface MetricShape {
  readonly type: MetricType;
  readonly name: string;
  readonly labelNames: readonly string[];
  readonly constLabels: Labels;
  /** Classic bucket bounds (histograms only), without `+Inf`. */
  readonly buckets?: readonly number[];
}

interface RegisteredShape {
  readonly type?: unknown;
  readonly labelNames?: unknown;
  readonly constLabels?: unknown;
  readonly buckets?: unknown;
}

/**
 * Returns the metric `registry` already holds under `shape.name` when it has the same
 * type, labels and buckets, or the one `create` makes. Re-creating an app (or adding
 * the middleware twice) with one registry therefore shares the metrics instead of
 * throwing; a different metric under the same name is a `DuplicateMetricError` saying
 * what differs.
 */
export function reuseOrCreate<M>(registry: Registry, shape: MetricShape, create: () => M): M {
  const existing = registry.get(shape.name) as RegisteredShape | undefined;
  if (existing === undefined) return create();
  const problem = mismatch(existing, shape);
  if (problem !== undefined) {
    throw new DuplicateMetricError(
      `A metric named "${shape.name}" is already registered and cannot be reused for HTTP metrics: ${problem}`,
    );
  }
  return existing as M;
}

function mismatch(existing: RegisteredShape, shape: MetricShape): string | undefined {
  if (existing.type !== shape.type) {
    return `it is a ${String(existing.type)}, a ${shape.type} is needed`;
  }
  if (!sameList(existing.labelNames, shape.labelNames)) {
    return `its labels are ${JSON.stringify(existing.labelNames)}, ${JSON.stringify(shape.labelNames)} are needed`;
  }
  if (!sameLabels(existing.constLabels, shape.constLabels)) {
    return `its const labels are ${JSON.stringify(existing.constLabels)}, ${JSON.stringify(shape.constLabels)} are needed`;
  }
  if (shape.buckets !== undefined && !sameList(existing.buckets, shape.buckets)) {
    return `its buckets are ${JSON.stringify(existing.buckets)}, ${JSON.stringify(shape.buckets)} are needed`;
  }
  return undefined;
}

function sameList(a: unknown, b: readonly unknown[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((v, i) => v === b[i]);
}

function sameLabels(a: unknown, b: Labels): boolean {
  if (typeof a !== 'object' || a === null) return false;
  const given = a as Record<string, unknown>;
  const keys = Object.keys(given);
  return keys.length === Object.keys(b).length && keys.every((k) => given[k] === b[k]);
}
