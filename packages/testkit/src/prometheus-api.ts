import { ServiceApiError } from './errors';

/** A native histogram as the query API returns it. */
export interface PromNativeHistogram {
  count: string;
  sum: string;
  /** `[boundaryRule, lower, upper, count]`. */
  buckets?: Array<[number, string, string, string]>;
}

/** One element of an instant vector from `/api/v1/query`. */
export interface PromVectorSample {
  metric: Record<string, string>;
  /** `[unixSeconds, value]` for a float sample. */
  value?: [number, string];
  /** `[unixSeconds, histogram]` for a native histogram sample. */
  histogram?: [number, PromNativeHistogram];
}

export interface PromQueryResponse {
  status: 'success' | 'error';
  data?: { resultType: string; result: unknown };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

export interface PromTarget {
  health: string;
  lastError: string;
  scrapeUrl: string;
  labels: Record<string, string>;
}

export interface PromMetricMetadata {
  type: string;
  help: string;
  unit: string;
}

interface PromApiEnvelope<T> {
  status: 'success' | 'error';
  data?: T;
  error?: string;
}

/** The number a float sample holds; Prometheus spells infinities `+Inf`/`-Inf`. */
export function sampleValue(sample: PromVectorSample): number {
  const text = sample.value?.[1];
  if (text === undefined) return Number.NaN;
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

/** GETs a Prometheus HTTP API path and returns the JSON envelope. */
export async function promGet<T>(baseUrl: string, path: string): Promise<PromApiEnvelope<T>> {
  const url = `${baseUrl}${path}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let body: PromApiEnvelope<T>;
  try {
    body = JSON.parse(text) as PromApiEnvelope<T>;
  } catch (cause) {
    throw new ServiceApiError(`GET ${url} answered ${response.status} with non-JSON: ${text}`, {
      cause,
    });
  }
  return body;
}

/** Like `promGet`, but throws `ServiceApiError` unless the status is `success`. */
export async function promData<T>(baseUrl: string, path: string): Promise<T> {
  const body = await promGet<T>(baseUrl, path);
  if (body.status !== 'success' || body.data === undefined) {
    throw new ServiceApiError(
      `GET ${baseUrl}${path} failed: ${body.error ?? JSON.stringify(body)}`,
    );
  }
  return body.data;
}
