import type { MetricFamily } from '../src/model';

/** Label values that stress escaping: quote, backslash, newline, unicode, empty. */
export const TRICKY_LABELS = {
  quote: 'say "hi"',
  backslash: 'C:\\temp\\',
  newline: 'line1\nline2',
  unicode: 'ünïcödé €😀 日本',
} as const;

/**
 * A page of every metric type and edge the writers handle, lint-clean for promtool
 * (counters end in `_total`, every family has HELP). No timestamps: a scraper would
 * treat old ones as out of bounds.
 */
export function richFamilies(): MetricFamily[] {
  return [
    {
      name: 'promkit_requests_total',
      help: 'Requests handled.',
      type: 'counter',
      points: [
        { labels: { method: 'GET', code: '200' }, value: 1027, created: 1_700_000_000.5 },
        {
          labels: { method: 'POST', code: '500' },
          value: 3,
          created: 1_700_000_000,
          exemplar: { labels: { trace_id: 'KOO5S4vxi0o' }, value: 1, timestamp: 1_700_000_100.25 },
        },
        { labels: { method: 'PUT', code: '201' }, value: 2 ** 53 },
      ],
    },
    {
      name: 'promkit_tricky_labels',
      help: 'Escaping: backslash \\ and newline\nin HELP.',
      type: 'gauge',
      points: [
        { labels: { ...TRICKY_LABELS }, value: 1 },
        { labels: { quote: '', backslash: '\\', newline: '\n', unicode: '😀' }, value: 2 },
      ],
    },
    {
      name: 'promkit_values',
      help: 'Special values.',
      type: 'gauge',
      points: [
        { labels: { v: 'nan' }, value: Number.NaN },
        { labels: { v: 'pos_inf' }, value: Number.POSITIVE_INFINITY },
        { labels: { v: 'neg_inf' }, value: Number.NEGATIVE_INFINITY },
        { labels: { v: 'neg_zero' }, value: -0 },
        { labels: { v: 'tiny' }, value: 1e-7 },
        { labels: { v: 'big' }, value: 1e21 },
        { labels: { v: 'negative' }, value: -12.5 },
      ],
    },
    {
      name: 'promkit_request_duration_seconds',
      help: 'Request duration.',
      type: 'histogram',
      unit: 'seconds',
      points: [
        {
          labels: { route: '/users/:id' },
          value: {
            bounds: [0.005, 0.1, 1, 2.5, 10],
            counts: [1, 4, 2, 0, 1, 2],
            count: 10,
            sum: 38.5,
            exemplars: [
              undefined,
              { labels: { trace_id: 'oHg5SJYRHA0' }, value: 0.05 },
              undefined,
              undefined,
              { labels: {}, value: 9.8, timestamp: 1_700_000_050 },
              undefined,
            ],
          },
          created: 1_700_000_000,
        },
        {
          labels: { route: '/' },
          value: { bounds: [0.005, 0.1, 1, 2.5, 10], counts: [0, 0, 0, 0, 0, 0], count: 0, sum: 0 },
        },
      ],
    },
    {
      name: 'promkit_payload_bytes',
      help: 'Payload sizes.',
      type: 'histogram',
      unit: 'bytes',
      points: [
        {
          labels: {},
          value: { bounds: [100, 100_000, 1e6], counts: [3, 2, 1, 0], count: 6, sum: 1_250_300 },
        },
      ],
    },
    {
      name: 'promkit_native_seconds',
      help: 'Native-only histogram.',
      type: 'histogram',
      points: [
        {
          labels: { shard: '1' },
          value: {
            bounds: [],
            counts: [],
            count: 4,
            sum: 2.75,
            native: {
              schema: 0,
              zeroThreshold: 0,
              zeroCount: 0,
              positiveSpans: [{ offset: 0, length: 2 }],
              positiveDeltas: [1, 2],
              negativeSpans: [],
              negativeDeltas: [],
            },
          },
        },
      ],
    },
    {
      name: 'promkit_rpc_seconds',
      help: 'RPC latency.',
      type: 'summary',
      points: [
        {
          labels: { service: 'billing' },
          value: {
            count: 7,
            sum: 1.75,
            quantiles: [
              { quantile: 0.5, value: 0.2 },
              { quantile: 0.9, value: 0.4 },
              { quantile: 0.99, value: 0.45 },
            ],
          },
          created: 1_700_000_000,
        },
        {
          labels: { service: 'search' },
          value: {
            count: 0,
            sum: 0,
            quantiles: [
              { quantile: 0.5, value: Number.NaN },
              { quantile: 0.9, value: Number.NaN },
              { quantile: 0.99, value: Number.NaN },
            ],
          },
        },
      ],
    },
    {
      name: 'promkit_build',
      help: 'Build information.',
      type: 'info',
      points: [{ labels: { version: '1.2.3', revision: 'abc123' } }],
    },
    {
      name: 'promkit_service_state',
      help: 'Service state.',
      type: 'stateset',
      points: [
        { labels: { promkit_service_state: 'running' }, value: 1 },
        { labels: { promkit_service_state: 'stopped' }, value: 0 },
      ],
    },
    {
      name: 'promkit_legacy',
      help: 'A metric of unknown type.',
      type: 'untyped',
      points: [{ labels: {}, value: 42 }],
    },
    { name: 'promkit_idle_total', help: 'Nothing counted yet.', type: 'counter', points: [] },
  ];
}
