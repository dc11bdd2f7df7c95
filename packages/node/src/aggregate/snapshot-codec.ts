import type { MetricFamily, MetricType } from '@promkit/core';
import { AggregationError } from '../errors';

/** The JSON stand-in for a number JSON cannot spell: `{"$number":"NaN"}`. */
const SPECIAL = '$number';
/** Every `MetricType`; `satisfies` makes a type added to the model fail to compile here. */
const FAMILY_TYPES: ReadonlySet<string> = new Set(
  Object.keys({
    counter: true,
    gauge: true,
    histogram: true,
    summary: true,
    info: true,
    stateset: true,
    untyped: true,
  } satisfies Record<MetricType, true>),
);

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return { [SPECIAL]: Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf' };
  }
  // Float64Array bucket counts and bounds would otherwise become {"0":…,"1":…}.
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const special = (value as Record<string, unknown>)[SPECIAL];
    if (special !== undefined && Object.keys(value).length === 1) {
      if (special === 'NaN') return Number.NaN;
      if (special === '+Inf') return Number.POSITIVE_INFINITY;
      if (special === '-Inf') return Number.NEGATIVE_INFINITY;
    }
  }
  return value;
}

/**
 * Serialises families for a worker-to-primary message: plain JSON, with typed arrays
 * as arrays and NaN/±Inf spelled explicitly (JSON would turn them into `null`).
 */
export function encodeSnapshot(families: readonly MetricFamily[]): string {
  return JSON.stringify(families, replacer);
}

/** The inverse of `encodeSnapshot`; throws `AggregationError` on anything else. */
export function decodeSnapshot(text: string, source: string): MetricFamily[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, reviver);
  } catch (cause) {
    throw new AggregationError(`metrics snapshot from ${source} is not valid JSON`, { cause });
  }
  if (!Array.isArray(parsed)) {
    throw new AggregationError(`metrics snapshot from ${source} is not an array of families`);
  }
  for (const family of parsed as unknown[]) {
    const f = family as Partial<Record<'name' | 'type' | 'help' | 'points', unknown>> | null;
    if (
      typeof f !== 'object' ||
      f === null ||
      typeof f.name !== 'string' ||
      typeof f.help !== 'string' ||
      !FAMILY_TYPES.has(f.type as string) ||
      !Array.isArray(f.points)
    ) {
      throw new AggregationError(
        `metrics snapshot from ${source} holds a malformed family: ${JSON.stringify(family)?.slice(0, 200)}`,
      );
    }
  }
  return parsed as MetricFamily[];
}
