// The proof that an adapter attaches OpenTelemetry trace exemplars: a real SDK around the
// adapter's real server, a real Prometheus with exemplar storage scraping OpenMetrics, and
// the exemplars read back from its API. Structural types only: no @promkit/core import.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promData } from './prometheus-api';
import { type PrometheusHandle, startPrometheus } from './start-prometheus';
import { type RequestListener, startTracing, type Tracing } from './tracing';

export interface TracedApp {
  /** `http://127.0.0.1:PORT`: the adapter's middleware first, `GET /users/:id`, `GET /metrics`. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * Builds the adapter's app on a fresh registry and serves it on 127.0.0.1:0 through
 * `wrap`, which runs every request inside an active sampled span.
 */
export type TracedAppFactory = (
  wrap: <L extends RequestListener>(listener: L) => L,
) => Promise<TracedApp>;

interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: Array<{ labels: Record<string, string>; value: string; timestamp: number }>;
}

const REQUESTS = 12;
const DEADLINE_MS = 25_000;

/** `/api/v1/query_exemplars` for `selector` over the last ten minutes. */
export async function queryExemplars(
  prometheus: PrometheusHandle,
  selector: string,
): Promise<ExemplarSeries[]> {
  const now = Date.now() / 1000;
  return promData<ExemplarSeries[]>(
    prometheus.url,
    `/api/v1/query_exemplars?query=${encodeURIComponent(selector)}&start=${now - 600}&end=${now + 60}`,
  );
}

/**
 * Runs the trace-exemplar proof against one adapter: every exemplar Prometheus stored for
 * the app carries the trace and span ids of a span the app served a request in, and both
 * the duration histogram's buckets and the requests counter have them.
 */
export function describeTraceExemplars(name: string, build: TracedAppFactory): void {
  describe(`${name}: OpenTelemetry trace exemplars, read back from Prometheus`, () => {
    let tracing: Tracing;
    let app: TracedApp;
    let prometheus: PrometheusHandle;
    const spans = new Map<string, string>();

    beforeAll(async () => {
      tracing = startTracing();
      app = await build((listener) => tracing.traced(listener));
      prometheus = await startPrometheus({
        targets: [app.baseUrl.replace('http://', '')],
        extraFlags: ['--enable-feature=exemplar-storage'],
      });
    }, 30_000);

    afterAll(async () => {
      await prometheus?.stop();
      await app?.close();
      await tracing?.shutdown();
    });

    it('stores exemplars whose trace_id and span_id are the request spans’', async () => {
      for (let i = 0; i < REQUESTS; i++) {
        const response = await fetch(`${app.baseUrl}/users/${i}`);
        await response.arrayBuffer();
        const traceId = response.headers.get('x-trace-id');
        expect(traceId, 'the traced listener sets x-trace-id').toMatch(/^[0-9a-f]{32}$/);
        spans.set(traceId!, response.headers.get('x-span-id')!);
      }
      let series: ExemplarSeries[] = [];
      const deadline = Date.now() + DEADLINE_MS;
      const isBucket = (s: ExemplarSeries) => s.seriesLabels.__name__!.endsWith('_bucket');
      const withUsers = (s: ExemplarSeries) => s.seriesLabels.path === '/users/:id';
      while (Date.now() < deadline) {
        series = (await queryExemplars(prometheus, '{job="promkit"}')).filter(withUsers);
        if (series.some(isBucket) && series.some((s) => !isBucket(s))) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const targets = await prometheus.targets();
      expect(targets.map((t) => t.lastError)).toEqual(['']);
      expect(series.some(isBucket), JSON.stringify(series)).toBe(true);
      expect(
        series.some((s) => !isBucket(s)),
        JSON.stringify(series),
      ).toBe(true);
      for (const s of series) {
        for (const exemplar of s.exemplars) {
          const traceId = exemplar.labels.trace_id!;
          expect(spans.has(traceId), `${traceId} is one of the request spans`).toBe(true);
          expect(exemplar.labels.span_id).toBe(spans.get(traceId));
        }
      }
    }, 40_000);
  });
}
