/** Sample lines of a Prometheus text page as `name{labels}` → value (comments skipped). */
export function parseSamples(body: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    const text = line.slice(at + 1);
    const value = text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text);
    samples.set(line.slice(0, at), value);
  }
  return samples;
}
