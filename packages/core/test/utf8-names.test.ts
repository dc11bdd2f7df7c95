import { decodeProtobuf } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import {
  type CollectError,
  Counter,
  Gauge,
  Histogram,
  InvalidNameError,
  type MetricFamily,
  NameCollisionError,
  Registry,
  render,
} from '../src/index';

function utf8Registry(): Registry {
  const registry = new Registry({ nameValidation: 'utf8' });
  const requests = new Counter('http.server.requests_total', 'Requests.', {
    registry,
    labelNames: ['http.request.method', 'route'] as const,
  });
  requests.inc({ 'http.request.method': 'GET', route: '/a' }, 2);
  const duration = new Histogram('http.server.duration', 'Duration "total".', {
    registry,
    labelNames: ['http.request.method'] as const,
    buckets: [0.1],
  });
  duration.observe({ 'http.request.method': 'GET' }, 0.05);
  new Gauge('legacy_gauge', 'Plain.', { registry }).set(3);
  return registry;
}

/** The page without `_created` lines (whether they appear is another option's business). */
async function page(registry: Registry, accept: string | undefined): Promise<string> {
  const { body } = await render(registry, accept);
  return (body as string)
    .split('\n')
    .filter((line) => !line.includes('_created'))
    .join('\n');
}

const bodies: [accept: string | undefined, body: string][] = [
  [
    'text/plain;version=1.0.0;escaping=allow-utf-8',
    `# HELP "http.server.requests_total" Requests.
# TYPE "http.server.requests_total" counter
{"http.server.requests_total","http.request.method"="GET",route="/a"} 2
# HELP "http.server.duration" Duration "total".
# TYPE "http.server.duration" histogram
{"http.server.duration_bucket","http.request.method"="GET",le="0.1"} 1
{"http.server.duration_bucket","http.request.method"="GET",le="+Inf"} 1
{"http.server.duration_sum","http.request.method"="GET"} 0.05
{"http.server.duration_count","http.request.method"="GET"} 1
# HELP legacy_gauge Plain.
# TYPE legacy_gauge gauge
legacy_gauge 3
`,
  ],
  [
    'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8',
    `# TYPE "http.server.requests" counter
# HELP "http.server.requests" Requests.
{"http.server.requests_total","http.request.method"="GET",route="/a"} 2
# TYPE "http.server.duration" histogram
# HELP "http.server.duration" Duration \\"total\\".
{"http.server.duration_bucket","http.request.method"="GET",le="0.1"} 1
{"http.server.duration_bucket","http.request.method"="GET",le="+Inf"} 1
{"http.server.duration_sum","http.request.method"="GET"} 0.05
{"http.server.duration_count","http.request.method"="GET"} 1
# TYPE legacy_gauge gauge
# HELP legacy_gauge Plain.
legacy_gauge 3
# EOF
`,
  ],
  [
    // No escaping named (Prometheus 2): underscores.
    undefined,
    `# HELP http_server_requests_total Requests.
# TYPE http_server_requests_total counter
http_server_requests_total{http_request_method="GET",route="/a"} 2
# HELP http_server_duration Duration "total".
# TYPE http_server_duration histogram
http_server_duration_bucket{http_request_method="GET",le="0.1"} 1
http_server_duration_bucket{http_request_method="GET",le="+Inf"} 1
http_server_duration_sum{http_request_method="GET"} 0.05
http_server_duration_count{http_request_method="GET"} 1
# HELP legacy_gauge Plain.
# TYPE legacy_gauge gauge
legacy_gauge 3
`,
  ],
  [
    'text/plain;version=1.0.0;escaping=dots',
    `# HELP http_dot_server_dot_requests__total Requests.
# TYPE http_dot_server_dot_requests__total counter
http_dot_server_dot_requests__total{http_dot_request_dot_method="GET",route="/a"} 2
# HELP http_dot_server_dot_duration Duration "total".
# TYPE http_dot_server_dot_duration histogram
http_dot_server_dot_duration_bucket{http_dot_request_dot_method="GET",le="0.1"} 1
http_dot_server_dot_duration_bucket{http_dot_request_dot_method="GET",le="+Inf"} 1
http_dot_server_dot_duration_sum{http_dot_request_dot_method="GET"} 0.05
http_dot_server_dot_duration_count{http_dot_request_dot_method="GET"} 1
# HELP legacy__gauge Plain.
# TYPE legacy__gauge gauge
legacy__gauge 3
`,
  ],
  [
    'text/plain;version=1.0.0;escaping=values',
    `# HELP U__http_2e_server_2e_requests__total Requests.
# TYPE U__http_2e_server_2e_requests__total counter
U__http_2e_server_2e_requests__total{U__http_2e_request_2e_method="GET",route="/a"} 2
# HELP U__http_2e_server_2e_duration Duration "total".
# TYPE U__http_2e_server_2e_duration histogram
U__http_2e_server_2e_duration_bucket{U__http_2e_request_2e_method="GET",le="0.1"} 1
U__http_2e_server_2e_duration_bucket{U__http_2e_request_2e_method="GET",le="+Inf"} 1
U__http_2e_server_2e_duration_sum{U__http_2e_request_2e_method="GET"} 0.05
U__http_2e_server_2e_duration_count{U__http_2e_request_2e_method="GET"} 1
# HELP legacy_gauge Plain.
# TYPE legacy_gauge gauge
legacy_gauge 3
`,
  ],
];

describe('UTF-8 names in the text formats', () => {
  it.each(bodies)('Accept %s', async (accept, body) => {
    expect(await page(utf8Registry(), accept)).toBe(body);
  });

  it('quotes special characters inside quoted names', async () => {
    const registry = new Registry({ nameValidation: 'utf8' });
    new Gauge('say "hi"\\now', 'Odd.', { registry, labelNames: ['a\nb'] as const }).set(
      { 'a\nb': 'v' },
      1,
    );
    expect(await page(registry, 'text/plain;version=1.0.0;escaping=allow-utf-8')).toBe(
      `# HELP "say \\"hi\\"\\\\now" Odd.
# TYPE "say \\"hi\\"\\\\now" gauge
{"say \\"hi\\"\\\\now","a\\nb"="v"} 1
`,
    );
  });

  it('leaves a legacy registry byte for byte as it was, whatever the scheme but dots', async () => {
    const registry = new Registry();
    new Counter('jobs_total', 'Jobs.', { registry, labelNames: ['queue'] as const }).inc({
      queue: 'q',
    });
    const plain = await page(registry, undefined);
    for (const scheme of ['allow-utf-8', 'underscores', 'values']) {
      expect(await page(registry, `text/plain;version=0.0.4;escaping=${scheme}`)).toBe(plain);
    }
    expect(await page(registry, 'text/plain;escaping=dots')).toContain('jobs__total{queue="q"} 1');
  });
});

describe('UTF-8 names in protobuf', () => {
  it('carries names as they are under allow-utf-8, escaped for a legacy scraper', async () => {
    const pb =
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited';
    const utf8 = await render(utf8Registry(), `${pb};escaping=allow-utf-8`);
    const raw = decodeProtobuf(utf8.body as Uint8Array);
    expect(raw.map((f) => f.name)).toEqual([
      'http.server.requests_total',
      'http.server.duration',
      'legacy_gauge',
    ]);
    expect(raw[0]!.metrics[0]!.labels).toEqual({ 'http.request.method': 'GET', route: '/a' });
    const legacy = decodeProtobuf((await render(utf8Registry(), pb)).body as Uint8Array);
    expect(legacy.map((f) => f.name)).toEqual([
      'http_server_requests_total',
      'http_server_duration',
      'legacy_gauge',
    ]);
    expect(legacy[1]!.metrics[0]!.labels).toEqual({ http_request_method: 'GET' });
  });
});

describe('nameValidation', () => {
  it('rejects UTF-8 names in a legacy registry, naming the option', () => {
    expect(() => new Counter('a.b', 'x', { registry: new Registry() })).toThrow(InvalidNameError);
    expect(() => new Counter('a.b', 'x', { registry: new Registry() })).toThrow(
      /nameValidation: 'utf8'/,
    );
    expect(
      () => new Counter('ab', 'x', { registry: new Registry(), labelNames: ['a.b'] as const }),
    ).toThrow(InvalidNameError);
  });

  it('accepts any well-formed name in a UTF-8 registry, and still guards the rest', () => {
    const registry = new Registry({ nameValidation: 'utf8' });
    expect(() => new Counter('花火 total', 'x', { registry })).not.toThrow();
    expect(() => new Counter('', 'x', { registry })).toThrow(InvalidNameError);
    expect(() => new Counter('bad\uD800', 'x', { registry })).toThrow(/well-formed UTF-8/);
    expect(() => new Counter('c', 'x', { registry, labelNames: ['__x.y'] as const })).toThrow(
      /reserved/,
    );
    expect(() => new Histogram('h', 'x', { registry, labelNames: ['le'] as const })).toThrow(
      /reserved/,
    );
    const open = new Counter('open', 'x', { registry });
    open.inc({ 'any.label': 'v' });
    expect(() => open.inc({ '': 'v' })).toThrow(InvalidNameError);
  });

  it('rejects an unknown validation scheme', () => {
    expect(() => new Registry({ nameValidation: 'unicode' as unknown as 'utf8' })).toThrow(
      /nameValidation must be 'legacy' or 'utf8', got "unicode"/,
    );
  });
});

describe('names that escaping makes equal', () => {
  it('are refused at registration (underscores, every legacy scraper gets it)', () => {
    const registry = new Registry({ nameValidation: 'utf8' });
    new Counter('a.b', 'x', { registry });
    expect(() => new Counter('a_b', 'x', { registry })).toThrow(NameCollisionError);
    expect(() => new Counter('a-b', 'x', { registry })).toThrow(
      'Metric "a-b" and the registered "a.b" would both be exposed as "a_b" to scrapers that do not accept UTF-8 names',
    );
    registry.unregister('a.b');
    expect(() => new Counter('a_b', 'x', { registry })).not.toThrow();
  });

  it('are left out of a scrape and reported once when a collector or scheme makes them', async () => {
    const reported: CollectError[] = [];
    const registry = new Registry({
      nameValidation: 'utf8',
      onCollectError: (error) => reported.push(error),
    });
    const family = (name: string, labels: Record<string, string>): MetricFamily => ({
      name,
      help: 'h',
      type: 'gauge',
      points: [{ labels, value: 1 }],
    });
    // Two collectors (not metrics, so not checked at registration), and one label pair.
    registry.register({ collect: () => family('x.y', { 'l.m': '1', l_m: '2' }) });
    registry.register({ collect: () => family('x_y', {}) });
    const first = await page(registry, undefined);
    expect(first).toBe('# HELP x_y h\n# TYPE x_y gauge\nx_y{l_m="1"} 1\n');
    await page(registry, undefined);
    expect(reported.map((e) => e.message)).toEqual([
      'name collision: metric "x.y": two labels are both "l_m" under escaping=underscores; "l_m" is left out of this scrape',
      'name collision: metrics "x.y" and "x_y" are both "x_y" under escaping=underscores; the second is left out of this scrape',
    ]);
    expect(reported[0]!.cause).toBeInstanceOf(NameCollisionError);
    // Under allow-utf-8 nothing collides.
    const utf8 = await page(registry, 'text/plain;version=1.0.0;escaping=allow-utf-8');
    expect(utf8).toContain('{"x.y","l.m"="1",l_m="2"} 1');
    expect(utf8).toContain('x_y 1');
  });
});
