import type { MetricFamily } from '@promkit/core';

/**
 * The families without sample timestamps, which the Pushgateway rejects. Families
 * without any timestamp are passed through as they are.
 */
export function stripTimestamps(families: readonly MetricFamily[]): MetricFamily[] {
  return families.map((family) => {
    const points = family.points as ReadonlyArray<{ readonly timestampMs?: number }>;
    if (!points.some((point) => point.timestampMs !== undefined)) return family;
    return {
      ...family,
      points: points.map((point) => {
        const { timestampMs: _dropped, ...rest } = point;
        return rest;
      }),
    } as unknown as MetricFamily;
  });
}
