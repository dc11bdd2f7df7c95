import { describe, expect, it } from 'vitest';
import { ConfigError, DuplicateMetricError } from '../src/errors';
import { encodeText } from '../src/exposition/text';
import { createHttpMetrics } from '../src/http/http-metrics';
import { DEFAULT_EXCLUDE_PATHS, MAX_MATCHED_PATH_LENGTH } from '../src/http/http-options';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import { Registry } from '../src/registry';

const users = { method: 'GET', path: '/users/:id' };

function serve(
  http: ReturnType<typeof createHttpMetrics>,
  url: string,
  template: string | undefined,
  status: number,
  method = 'GET',
) {
  const t = http.start(method, url, undefined, undefined);
  if (t === undefined) return false;
  if (template !== undefined) t.matched(template);
  t.end(status);
  return true;
}

async function page(registry: Registry): Promise<string> {
  return encodeText(await registry.collect());
}

describe('createHttpMetrics: the default metrics', () => {
  it('creates four counters, the histogram and the gauge with their names, help and labels', async () => {
    const registry = new Registry();
    const http = createHttpMetrics({ registry });
    serve(http, '/users/42', '/users/:id', 200);
    const text = await page(registry);
    expect(text).toContain(
      '# HELP http_requests_total HTTP requests received, counted when they end (aborted ones too)\n',
    );
    expect(text).toContain(
      '# HELP http_responses_total HTTP responses sent (aborted requests are not counted)\n',
    );
    expect(text).toContain('# HELP http_exceptions_total HTTP requests whose handler threw\n');
    expect(text).toContain(
      '# HELP http_requests_by_status_total HTTP requests by status code (499: the client went away first)\n',
    );
    expect(text).toContain('http_requests_total{method="GET",path="/users/:id"} 1\n');
    expect(text).toContain('http_responses_total{method="GET",path="/users/:id"} 1\n');
    expect(text).toContain(
      'http_requests_by_status_total{method="GET",path="/users/:id",status_code="200"} 1\n',
    );
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",path="/users/:id",status_code="200"} 1\n',
    );
    expect(text).toContain('http_requests_in_flight 0\n');
    // Every route's counters start at 0, so rate() and ratios see the first exception.
    expect(http.exceptions!.get(users)).toBe(0);
    expect(text).toContain('http_exceptions_total{method="GET",path="/users/:id"} 0\n');
    expect(text).not.toContain('/users/42');
  });

  it("names: 'aioprometheus' gives that library's counter names and help, verbatim", async () => {
    const registry = new Registry();
    const http = createHttpMetrics({ registry, names: 'aioprometheus' });
    serve(http, '/users/42', '/users/:id', 200);
    const text = await page(registry);
    expect(text).toContain('# HELP requests_total_counter Total number of requests received\n');
    expect(text).toContain('# HELP responses_total_counter Total number of responses sent\n');
    expect(text).toContain(
      '# HELP exceptions_total_counter Total number of requested which generated an exception\n',
    );
    expect(text).toContain('# HELP status_codes_counter Total number of response status codes\n');
    expect(text).toContain('requests_total_counter{method="GET",path="/users/:id"} 1\n');
    expect(text).toContain(
      'status_codes_counter{method="GET",path="/users/:id",status_code="200"} 1\n',
    );
    expect(text).toContain('http_request_duration_seconds_count{');
    expect(text).toContain('http_requests_in_flight 0\n');
    expect(text).not.toContain('http_requests_total');
    expect(() => createHttpMetrics({ registry, names: 'prom-client' as never })).toThrow(
      /names must be 'promkit' or 'aioprometheus', got "prom-client"/,
    );
  });

  it('counts a request in flight from start() to end()', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    const a = http.start('GET', '/a', undefined, undefined)!;
    const b = http.start('GET', '/b', undefined, undefined)!;
    expect(http.inFlight!.get()).toBe(2);
    a.end(200);
    b.aborted();
    expect(http.inFlight!.get()).toBe(0);
  });

  it('groups status codes when asked', () => {
    const http = createHttpMetrics({ registry: new Registry(), groupStatusCodes: true });
    serve(http, '/users/1', '/users/:id', 201);
    serve(http, '/users/2', '/users/:id', 204);
    serve(http, '/users/3', '/users/:id', 404);
    expect(http.statusCodes!.get({ ...users, status_code: '2xx' })).toBe(2);
    expect(http.statusCodes!.get({ ...users, status_code: '4xx' })).toBe(1);
    expect(http.statusCodes!.get({ ...users, status_code: '201' })).toBeUndefined();
  });

  it('records every known method as itself, the common ones included', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    for (const method of ['GET', 'POST', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      serve(http, '/x', '/x', 200, method);
      expect(http.requests!.get({ method, path: '/x' })).toBe(1);
    }
    // Lower case is not a known method (HTTP methods are case-sensitive).
    serve(http, '/x', '/x', 200, 'get');
    expect(http.requests!.get({ method: '_OTHER', path: '/x' })).toBe(1);
  });

  it('keeps each status of a route apart while sharing the route’s counters', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    serve(http, '/users/1', '/users/:id', 200);
    serve(http, '/users/2', '/users/:id', 404);
    serve(http, '/users/3', '/users/:id', 200);
    serve(http, '/users/4', '/users/:id', 500, 'POST');
    expect(http.requests!.get(users)).toBe(3);
    expect(http.responses!.get(users)).toBe(3);
    expect(http.statusCodes!.get({ ...users, status_code: '200' })).toBe(2);
    expect(http.statusCodes!.get({ ...users, status_code: '404' })).toBe(1);
    expect(http.duration!.get({ ...users, status_code: '404' })!.count).toBe(1);
    expect(http.requests!.get({ method: 'POST', path: '/users/:id' })).toBe(1);
    expect(http.statusCodes!.get({ method: 'POST', path: '/users/:id', status_code: '500' })).toBe(
      1,
    );
  });

  it('keeps the method label bounded', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    serve(http, '/x', '/x', 405, 'BREW');
    expect(http.requests!.get({ method: '_OTHER', path: '/x' })).toBe(1);
  });
});

describe('createHttpMetrics: once per request', () => {
  it('records a request once however many times end() and aborted() are called', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    const t = http.start('GET', '/users/1', undefined, undefined)!;
    t.matched('/users/:id');
    t.end(200);
    t.end(200);
    t.aborted();
    expect(http.requests!.get(users)).toBe(1);
    expect(http.statusCodes!.get({ ...users, status_code: '499' })).toBeUndefined();
    expect(http.duration!.get({ ...users, status_code: '200' })!.count).toBe(1);
    expect(http.inFlight!.get()).toBe(0);
  });

  it('records an exception once, with the status the framework answered', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    const t = http.start('GET', '/boom', undefined, undefined)!;
    t.matched('/boom');
    t.exception(new Error('boom'));
    t.exception(new Error('boom'));
    t.end(500);
    t.end(500);
    const boom = { method: 'GET', path: '/boom' };
    expect(http.exceptions!.get(boom)).toBe(1);
    expect(http.requests!.get(boom)).toBe(1);
    expect(http.responses!.get(boom)).toBe(1);
    expect(http.statusCodes!.get({ ...boom, status_code: '500' })).toBe(1);
  });

  it('records an aborted request as 499, not as a response sent', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    const t = http.start('GET', '/slow', undefined, undefined)!;
    t.matched('/slow');
    t.aborted();
    t.end(200);
    const slow = { method: 'GET', path: '/slow' };
    expect(http.requests!.get(slow)).toBe(1);
    expect(http.responses!.get(slow) ?? 0).toBe(0);
    expect(http.statusCodes!.get({ ...slow, status_code: '499' })).toBe(1);
    expect(http.statusCodes!.get({ ...slow, status_code: '200' })).toBeUndefined();
    expect(http.duration!.get({ ...slow, status_code: '499' })!.count).toBe(1);
  });

  it('lets an AbortSignal abort the tracker without a closure', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    const t = http.start('GET', '/slow', undefined, undefined)!;
    const controller = new AbortController();
    controller.signal.addEventListener('abort', t);
    controller.abort();
    expect(http.statusCodes!.get({ method: 'GET', path: '<unmatched>', status_code: '499' })).toBe(
      1,
    );
  });

  it('keeps recording after a metric is reset or a series removed directly', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    serve(http, '/users/1', '/users/:id', 200);
    http.requests!.reset();
    serve(http, '/users/2', '/users/:id', 200);
    expect(http.requests!.get(users)).toBe(1);
    http.statusCodes!.remove({ ...users, status_code: '200' });
    serve(http, '/users/3', '/users/:id', 200);
    expect(http.statusCodes!.get({ ...users, status_code: '200' })).toBe(1);
    expect(http.requests!.get(users)).toBe(2);
  });

  it('records into compatible metrics the user registered first', () => {
    const registry = new Registry();
    const mine = new Counter('http_requests_total', 'Mine.', {
      registry,
      labelNames: ['method', 'path'],
    });
    const http = createHttpMetrics({ registry });
    expect(http.requests).toBe(mine);
    serve(http, '/users/1', '/users/:id', 200);
    mine.reset();
    serve(http, '/users/2', '/users/:id', 200);
    expect(mine.get(users)).toBe(1);
    expect(http.statusCodes!.get({ ...users, status_code: '200' })).toBe(2);
  });

  it('keeps recording after the registry resets its metrics', () => {
    const registry = new Registry();
    const http = createHttpMetrics({ registry });
    serve(http, '/users/1', '/users/:id', 200);
    registry.resetMetrics();
    serve(http, '/users/2', '/users/:id', 200);
    expect(http.requests!.get(users)).toBe(1);
    expect(http.statusCodes!.get({ ...users, status_code: '200' })).toBe(1);
  });
});

describe('createHttpMetrics: paths', () => {
  it('gives every unmatched request one label, never its raw path or query', async () => {
    const registry = new Registry();
    const http = createHttpMetrics({ registry });
    serve(http, '/wp-admin.php?token=secret', undefined, 404);
    serve(http, '/.env', undefined, 404);
    expect(http.requests!.get({ method: 'GET', path: '<unmatched>' })).toBe(2);
    const text = await page(registry);
    expect(text).not.toContain('wp-admin');
    expect(text).not.toContain('secret');
    expect(text).not.toContain('.env');
  });

  it('excludes aioprometheus’ paths by default, with or without a query string', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    for (const path of DEFAULT_EXCLUDE_PATHS) expect(serve(http, path, path, 200)).toBe(false);
    expect(serve(http, '/metrics?name[]=up', undefined, 200)).toBe(false);
    expect(http.inFlight!.get()).toBe(0);
    expect(http.requests!.getAll()).toEqual([]);
  });

  it('excludes by string and RegExp, on the raw path and on the template', () => {
    const http = createHttpMetrics({
      registry: new Registry(),
      excludePaths: ['/health', /^\/internal\//g, '/users/:id'],
    });
    expect(serve(http, '/health', '/health', 200)).toBe(false);
    expect(serve(http, '/internal/a', '/internal/a', 200)).toBe(false);
    // A global RegExp keeps no state between requests.
    expect(serve(http, '/internal/b', '/internal/b', 200)).toBe(false);
    expect(serve(http, '/users/7', '/users/:id', 200)).toBe(true);
    expect(http.requests!.getAll()).toEqual([]);
    expect(http.inFlight!.get()).toBe(0);
    expect(serve(http, '/metrics', '/metrics', 200)).toBe(true);
    expect(http.requests!.get({ method: 'GET', path: '/metrics' })).toBe(1);
  });

  it('excludes exact paths of any length, and only those (not others of the same length)', () => {
    const short = `/${'a'.repeat(62)}`; // 63 characters: the longest compared by length
    const long = `/${'b'.repeat(63)}`;
    const many = Array.from({ length: 12 }, (_, i) => `/many/${i.toString(16)}`); // one length
    const excluded = ['', '/h', short, long, ...many];
    const http = createHttpMetrics({ registry: new Registry(), excludePaths: excluded });
    for (const path of excluded) expect(serve(http, path, undefined, 200)).toBe(false);
    // Same lengths, other paths: recorded.
    const kept = [
      '/i',
      `/${'c'.repeat(62)}`,
      `/${'d'.repeat(63)}`,
      '/many/x',
      `/${'e'.repeat(90)}`,
    ];
    for (const path of kept) expect(serve(http, path, path, 200)).toBe(true);
    expect(http.requests!.getAll()).toHaveLength(kept.length);
    const none = createHttpMetrics({ registry: new Registry(), excludePaths: [] });
    expect(serve(none, '/metrics', '/metrics', 200)).toBe(true);
  });

  it('rewrites templates with normalizePath rules and unmatched paths only when a rule matches', () => {
    const http = createHttpMetrics({
      registry: new Registry(),
      normalizePath: [
        [/:(\w+)/g, '{$1}'],
        [/^\/assets\/.*/, '/assets/*'],
      ],
    });
    serve(http, '/users/1', '/users/:id', 200);
    serve(http, '/assets/app.3f2a.js', undefined, 200);
    serve(http, '/nope', undefined, 404);
    expect(http.requests!.get({ method: 'GET', path: '/users/{id}' })).toBe(1);
    expect(http.requests!.get({ method: 'GET', path: '/assets/*' })).toBe(1);
    expect(http.requests!.get({ method: 'GET', path: '<unmatched>' })).toBe(1);
  });

  it('calls a normalizePath function once per template and caps the raw path it sees', () => {
    const seen: Array<[string, boolean]> = [];
    const http = createHttpMetrics({
      registry: new Registry(),
      unmatchedPath: 'none',
      normalizePath: (path, matched) => {
        seen.push([path, matched]);
        return matched ? path.toUpperCase() : undefined;
      },
    });
    serve(http, '/users/1', '/users/:id', 200);
    serve(http, '/users/2', '/users/:id', 200);
    serve(http, `/${'a'.repeat(10_000)}`, undefined, 404);
    expect(seen[0]).toEqual(['/users/:id', true]);
    expect(seen).toHaveLength(2);
    expect(seen[1]![0]).toHaveLength(MAX_MATCHED_PATH_LENGTH);
    expect(http.requests!.get({ method: 'GET', path: '/USERS/:ID' })).toBe(2);
    expect(http.requests!.get({ method: 'GET', path: 'none' })).toBe(1);
  });

  it('runs exclusion RegExps on at most 2 KiB of a hostile path', () => {
    let longest = 0;
    const probe = /x/;
    const test = probe.test.bind(probe);
    probe.test = (input: string) => {
      longest = Math.max(longest, input.length);
      return test(input);
    };
    const http = createHttpMetrics({ registry: new Registry(), excludePaths: [probe] });
    serve(http, `/${'a'.repeat(1_000_000)}`, undefined, 404);
    expect(longest).toBe(MAX_MATCHED_PATH_LENGTH);
  });

  it('rejects bad exclusion and normalization options', () => {
    const registry = new Registry();
    expect(() => createHttpMetrics({ registry, excludePaths: [42 as never] })).toThrow(ConfigError);
    expect(() => createHttpMetrics({ registry, normalizePath: [['x' as never, 'y']] })).toThrow(
      ConfigError,
    );
  });
});

describe('createHttpMetrics: labels and metric selection', () => {
  it('adds const labels and the labels hook’s values to every metric but the gauge', async () => {
    interface Req {
      tenant?: string;
    }
    const registry = new Registry();
    const http = createHttpMetrics<Req, unknown, 'tenant'>({
      registry,
      constLabels: { service: 'shop' },
      extraLabelNames: ['tenant'],
      labels: (req) => ({ tenant: req.tenant ?? 'none' }),
    });
    const t = http.start('GET', '/users/1', { tenant: 'acme' }, undefined)!;
    t.matched('/users/:id');
    t.end(200);
    const text = await page(registry);
    expect(text).toContain(
      'http_requests_total{service="shop",method="GET",path="/users/:id",tenant="acme"} 1\n',
    );
    expect(text).toContain(
      'http_requests_by_status_total{service="shop",method="GET",path="/users/:id",status_code="200",tenant="acme"} 1\n',
    );
    expect(text).toContain('http_requests_in_flight{service="shop"} 0\n');
  });

  it('records a request even when the labels hook throws or omits a value', () => {
    const http = createHttpMetrics<{ fail: boolean }, unknown, 'tenant' | 'plan'>({
      registry: new Registry(),
      extraLabelNames: ['tenant', 'plan'],
      labels: (req) => {
        if (req.fail) throw new Error('hook failed');
        return { tenant: 'a' } as never;
      },
    });
    http.start('GET', '/a', { fail: true }, undefined)!.end(200);
    http.start('GET', '/a', { fail: false }, undefined)!.end(200);
    const path = '<unmatched>';
    expect(http.requests!.get({ method: 'GET', path, tenant: '', plan: '' })).toBe(1);
    expect(http.requests!.get({ method: 'GET', path, tenant: 'a', plan: '' })).toBe(1);
  });

  it('needs extraLabelNames with a labels hook', () => {
    expect(() =>
      createHttpMetrics({ registry: new Registry(), labels: () => ({}) as never }),
    ).toThrow(/extraLabelNames/);
  });

  it('turns metrics off, renames them and prefixes every name', () => {
    const registry = new Registry();
    const http = createHttpMetrics({
      registry,
      prefix: 'shop_',
      metrics: { exceptions: false, inFlight: false, duration: { name: 'latency_seconds' } },
    });
    expect(http.exceptions).toBeUndefined();
    expect(http.inFlight).toBeUndefined();
    expect(registry.get('shop_http_exceptions_total')).toBeUndefined();
    expect(registry.get('shop_latency_seconds')).toBe(http.duration);
    expect(registry.get('shop_http_requests_total')).toBe(http.requests);
    const t = http.start('GET', '/boom', undefined, undefined)!;
    t.exception(new Error('x'));
    t.end(500);
    expect(http.requests!.get({ method: 'GET', path: '<unmatched>' })).toBe(1);
  });

  it('passes buckets and native buckets to the histogram', () => {
    const http = createHttpMetrics({
      registry: new Registry(),
      buckets: [0.1, 1],
      nativeHistogram: { schema: 2 },
    });
    expect(http.duration!.buckets).toEqual([0.1, 1]);
    const native = createHttpMetrics({ registry: new Registry(), nativeHistogram: true });
    expect(native.duration!.buckets).toEqual([]);
  });
});

describe('createHttpMetrics: one registry, many apps', () => {
  it('reuses the metrics already registered, so counts add up', () => {
    const registry = new Registry();
    const first = createHttpMetrics({ registry });
    const second = createHttpMetrics({ registry });
    expect(second.requests).toBe(first.requests);
    expect(second.duration).toBe(first.duration);
    serve(first, '/users/1', '/users/:id', 200);
    serve(second, '/users/2', '/users/:id', 200);
    expect(first.requests!.get(users)).toBe(2);
  });

  it('refuses a different metric under a default name, saying what differs', () => {
    const registry = new Registry();
    new Gauge('http_requests_total', 'Something else.', { registry });
    expect(() => createHttpMetrics({ registry })).toThrow(DuplicateMetricError);
    expect(() => createHttpMetrics({ registry })).toThrow(
      /"http_requests_total".*it is a gauge, a counter is needed/,
    );
    const other = new Registry();
    new Counter('http_requests_total', 'x', { registry: other, labelNames: ['route'] });
    expect(() => createHttpMetrics({ registry: other })).toThrow(/labels are \["route"\]/);
    const buckets = new Registry();
    createHttpMetrics({ registry: buckets, buckets: [1, 2] });
    expect(() => createHttpMetrics({ registry: buckets, buckets: [1, 3] })).toThrow(/buckets/);
  });
});

describe('RequestTracker.ignore', () => {
  it('drops a request already started, and later calls do nothing', () => {
    const http = createHttpMetrics({ registry: new Registry() });
    const t = http.start('GET', '/custom-metrics', undefined, undefined)!;
    expect(http.inFlight!.get()).toBe(1);
    t.ignore();
    t.end(200);
    t.ignore();
    expect(http.inFlight!.get()).toBe(0);
    expect(http.requests!.getAll()).toEqual([]);
  });
});

describe('HttpAdapterHooks.beforeRecord', () => {
  it('lets an adapter read the template and error just before recording, once', () => {
    const seen: string[] = [];
    const http = createHttpMetrics<{ route?: string }, undefined>(
      { registry: new Registry() },
      {
        beforeRecord: (t) => {
          seen.push(t.rawPath);
          if (t.req.route !== undefined) t.matched(t.req.route);
        },
      },
    );
    const req: { route?: string } = {};
    const t = http.start('GET', '/users/5', req, undefined)!;
    req.route = '/users/:id';
    t.aborted();
    t.end(200);
    expect(seen).toEqual(['/users/5']);
    expect(http.statusCodes!.get({ ...users, status_code: '499' })).toBe(1);
  });
});
