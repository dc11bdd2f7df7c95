/**
 * The loop `ab-label-size.mjs` times, for one build: imported once per build (`importPerSide`).
 * A 2-label counter with one series per route, every series made first; `run(n)` then calls
 * `Counter.inc(labels)` n times over them in a scattered order.
 */
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const STEP = 7919;

export function labelledCalls({ Counter }, routes) {
  const values = routes.length;
  const counter = new Counter('m_total', 'M.', {
    labelNames: ['method', 'route'],
    registry: null,
    maxSeries: Number.POSITIVE_INFINITY,
  });
  for (let i = 0; i < values; i++) counter.inc({ method: METHODS[i % 5], route: routes[i] });
  let next = 0;
  return (n) => {
    for (let r = 0; r < n; r++) {
      const i = next;
      next = (i + STEP) % values;
      counter.inc({ method: METHODS[i % 5], route: routes[i] });
    }
  };
}
