/** A label value as prom-client accepts it: numbers are kept as given and printed with `String()`. */
export type LabelValue = string | number;
/** Label name → value; every declared label is optional, as in prom-client. */
export type LabelValues<T extends string> = Partial<Record<T, string | number>>;

/** Owned label objects, as stored per series. */
export type StoredLabels = Record<string, LabelValue>;

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/**
 * prom-client's `labels(...)` / `remove(...)` argument rule: an object is the label set,
 * otherwise the values are positional in `labelNames` order and their count must match.
 */
export function labelsFromArgs(
  labelNames: readonly string[],
  args: readonly unknown[],
): Record<string, unknown> {
  const first = args[0];
  if (typeof first === 'object') return (first ?? {}) as Record<string, unknown>;
  if (labelNames.length !== args.length) {
    throw new Error(
      `Invalid number of arguments (${args.length}): "${args.join(', ')}" for label names (${labelNames.length}): "${labelNames.join(', ')}".`,
    );
  }
  const labels: Record<string, unknown> = {};
  for (let i = 0; i < labelNames.length; i++) labels[labelNames[i]!] = args[i];
  return labels;
}
