/**
 * Several rounds of the micro cases, merged: per library the median of its per-round
 * medians, and every ratio as the median of the per-round ratios with its [min–max], so
 * a table shows how far a figure moves between runs rather than one run's luck.
 */

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** `{ median, min, max }` of the defined values, or undefined when there are none. */
export function spread(values) {
  const defined = values.filter((v) => v !== undefined);
  if (defined.length === 0) return undefined;
  return { median: median(defined), min: Math.min(...defined), max: Math.max(...defined) };
}

/** Rows of one round per case id, merged into one row per case. */
export function mergeRounds(rounds) {
  if (rounds.length === 1) return rounds[0];
  return rounds[0].map((first) => {
    const same = rounds.map((rows) => rows.find((r) => r.id === first.id)).filter(Boolean);
    const results = {};
    for (const library of Object.keys(first.results)) {
      const p50s = same.map((r) => r.results[library]?.p50);
      results[library] = { ...first.results[library], p50: spread(p50s).median };
    }
    const ratios = spread(same.map((r) => r.ratio));
    // The competitor that was fastest most often names the ratio.
    const counts = new Map();
    for (const r of same)
      if (r.better !== undefined) counts.set(r.better, (counts.get(r.better) ?? 0) + 1);
    const better = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
    return {
      ...first,
      results,
      rounds: same.length,
      better,
      ratio: ratios?.median,
      ratioRange: ratios,
      ofFloor: spread(same.map((r) => r.ofFloor))?.median,
      ofFloorRange: spread(same.map((r) => r.ofFloor)),
      ofText: spread(same.map((r) => r.ofText))?.median,
      ofTextRange: spread(same.map((r) => r.ofText)),
    };
  });
}

/** `3.45× [3.10–3.80]`, or just `3.45×` for one round. */
export function ratioText(value, range) {
  if (value === undefined) return '—';
  if (range === undefined || range.min === range.max) return `${value.toFixed(2)}×`;
  return `${value.toFixed(2)}× [${range.min.toFixed(2)}–${range.max.toFixed(2)}]`;
}

/**
 * A target verdict over rounds: `yes` when every round met it, `median only` when the
 * median did but some round did not, `no` otherwise. `atLeast`: higher is better.
 */
export function roundsVerdict(value, range, target, atLeast = true) {
  if (value === undefined || target === undefined) return undefined;
  const meets = (v) => (atLeast ? v >= target : v <= target);
  if (!meets(value)) return false;
  if (range !== undefined && !meets(atLeast ? range.min : range.max)) return 'median only';
  return true;
}
