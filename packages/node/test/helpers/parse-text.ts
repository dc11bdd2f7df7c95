/** Sample lines of a text 0.0.4 page: `name{labels}` → value. */
export function parseSamples(page: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of page.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    const value = line.slice(space + 1);
    samples.set(
      line.slice(0, space),
      value === '+Inf'
        ? Number.POSITIVE_INFINITY
        : value === '-Inf'
          ? Number.NEGATIVE_INFINITY
          : Number(value),
    );
  }
  return samples;
}

/** The value of the one sample named exactly `key` (name plus `{labels}` as printed). */
export function sample(page: string, key: string): number | undefined {
  return parseSamples(page).get(key);
}
