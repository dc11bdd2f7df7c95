/**
 * Shape checks for smoke mode: how many sample lines of each name a text page holds,
 * compared with what a case expects, so every library is seen to expose the same series.
 */

/** Sample name → number of sample lines in a text 0.0.4 or OpenMetrics page. */
export function sampleCounts(page) {
  const counts = new Map();
  for (const line of page.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const end = line.search(/[{ ]/);
    const name = end === -1 ? line : line.slice(0, end);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/** Differences between expected and found counts, as readable lines (empty when equal). */
export function shapeDifferences(expected, found, { allowExtra = false } = {}) {
  const problems = [];
  for (const [name, want] of expected) {
    const got = found.get(name) ?? 0;
    if (got !== want) problems.push(`${name}: expected ${want} lines, found ${got}`);
  }
  if (!allowExtra) {
    for (const [name, got] of found) {
      if (!expected.has(name)) problems.push(`${name}: ${got} unexpected lines`);
    }
  }
  return problems;
}
