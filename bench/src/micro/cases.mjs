/**
 * The micro cases: what each measures, which libraries run it, what shape its metric
 * page must have (checked in smoke mode) and the target ratio against the best of
 * prom-client@15, @prometheus-io/client and @platformatic/prom-client.
 */

import {
  LABELLED_SERIES,
  SCRAPE_BUCKETS,
  SCRAPE_SHAPES,
  SUMMARY_QUANTILES,
  SUMMARY_SERIES,
  UNLABELLED_COUNTERS,
} from './fixtures.mjs';

export const ALL_LIBRARIES = [
  'promkit',
  'prom-client',
  '@prometheus-io/client',
  '@platformatic/prom-client',
];
/** prom-client's API: this repo's @promkit/prom-client against the three implementations of it. */
export const COMPAT_LIBRARIES = [
  '@promkit/prom-client',
  'prom-client',
  '@prometheus-io/client',
  '@platformatic/prom-client',
];
export const PROMKIT_ONLY = ['promkit'];
/**
 * Not a library: the same page joined from its precomputed lines (`lines.join('')`), the
 * least work any renderer can do. Never a competitor; promkit / floor is reported apart.
 */
export const FLOOR = 'floor';

/** Default classic bucket bounds per library (promkit: 14, the prom-client family: 11). */
export const DEFAULT_BOUND_COUNT = {
  promkit: 14,
  'prom-client': 11,
  '@prometheus-io/client': 11,
  '@promkit/prom-client': 11,
  '@platformatic/prom-client': 11,
};

/**
 * Families a case's page holds: [name, kind, series]. Bounds count histogram buckets
 * without +Inf (a function of the library when each uses its defaults).
 */
const counterFamilies = (metrics, series) =>
  Array.from({ length: metrics }, (_, m) => [`bench_scrape_${m}_total`, 'counter', series]);

/**
 * A scrape case. Text runs every library (target: ≥ 3× the best); the other formats run
 * promkit only and are held to `maxOfText` × promkit's text time for the same page.
 * `floor` adds the joined-lines floor to the text case (target: promkit ≤ 2× floor).
 */
const scrape = (id, title, families, format, { floor = false } = {}) => ({
  id: `${id}-${format}`,
  base: id,
  group: 'scrape',
  title: `${title} (${format === 'text' ? 'text 0.0.4' : format === 'openmetrics' ? 'OpenMetrics' : 'protobuf'})`,
  libraries: format === 'text' ? [...ALL_LIBRARIES, ...(floor ? [FLOOR] : [])] : PROMKIT_ONLY,
  families,
  format,
  target: format === 'text' ? 3 : undefined,
  maxOfFloor: format === 'text' && floor ? 2 : undefined,
  maxOfText: format === 'text' ? undefined : 1.5,
});

/**
 * The same prom-client-API work run through each implementation of that API; the ratio is
 * the best of the three others over @promkit/prom-client.
 */
const compat = (base, title, families) => ({
  id: `compat-${base}`,
  setupId: base,
  group: 'compat',
  title,
  libraries: COMPAT_LIBRARIES,
  reference: '@promkit/prom-client',
  families,
  target: 3,
});

export const CASES = [
  {
    id: 'counter-inc',
    group: 'hot',
    title: `Counter.inc() without labels, ${UNLABELLED_COUNTERS} counters cycled`,
    libraries: ALL_LIBRARIES,
    families: Array.from({ length: UNLABELLED_COUNTERS }, (_, m) => [
      `bench_events_${m}_total`,
      'counter',
      1,
    ]),
  },
  {
    id: 'counter-inc-labels',
    group: 'hot',
    title: `Counter.inc(labels), 3 labels, new object per call, ${LABELLED_SERIES} series`,
    libraries: ALL_LIBRARIES,
    families: [['bench_requests_total', 'counter', LABELLED_SERIES]],
    target: 5,
  },
  {
    id: 'child-inc',
    group: 'hot',
    title: `Bound child .inc(), ${LABELLED_SERIES} children cycled`,
    libraries: ALL_LIBRARIES,
    families: [['bench_requests_total', 'counter', LABELLED_SERIES]],
    target: 5,
  },
  {
    id: 'gauge-set-labels',
    group: 'hot',
    title: `Gauge.set(labels, v), 2 labels, ${LABELLED_SERIES} series`,
    libraries: ALL_LIBRARIES,
    families: [['bench_pool_connections', 'gauge', LABELLED_SERIES]],
    target: 5,
  },
  {
    id: 'histogram-observe-labels',
    group: 'hot',
    title: `Histogram.observe(labels, v), 3 labels, default buckets, ${LABELLED_SERIES} series`,
    libraries: ALL_LIBRARIES,
    families: [['bench_request_duration_seconds', 'histogram', LABELLED_SERIES, 'default']],
    target: 5,
  },
  {
    id: 'summary-observe-labels',
    group: 'hot',
    title: `Summary.observe(labels, v), 1 label, ${SUMMARY_SERIES} series, ${SUMMARY_QUANTILES.length} quantiles`,
    libraries: ALL_LIBRARIES,
    families: [['bench_response_size_bytes', 'summary', SUMMARY_SERIES]],
    target: 3,
  },
  ...['text', 'openmetrics', 'protobuf'].map((f) =>
    scrape(
      'scrape-counter-10k',
      '1 counter × 10k series',
      counterFamilies(1, SCRAPE_SHAPES.counter10k.series),
      f,
      { floor: true },
    ),
  ),
  ...['text', 'openmetrics', 'protobuf'].map((f) =>
    scrape(
      'scrape-counter-100k',
      '1 counter × 100k series',
      counterFamilies(1, SCRAPE_SHAPES.counter100k.series),
      f,
      { floor: true },
    ),
  ),
  ...['text', 'openmetrics', 'protobuf'].map((f) =>
    scrape(
      'scrape-histogram-1k',
      '1 histogram × 1k series',
      [
        [
          'bench_scrape_duration_seconds',
          'histogram',
          SCRAPE_SHAPES.histogram1k.series,
          SCRAPE_BUCKETS.length,
        ],
      ],
      f,
    ),
  ),
  ...['text', 'openmetrics', 'protobuf'].map((f) =>
    scrape(
      'scrape-100x100',
      '100 counters × 100 series',
      counterFamilies(SCRAPE_SHAPES.many100x100.metrics, SCRAPE_SHAPES.many100x100.series),
      f,
    ),
  ),
  compat(
    'counter-inc-labels',
    `prom-client API: Counter.inc(labels), 3 labels, ${LABELLED_SERIES} series`,
    [['bench_requests_total', 'counter', LABELLED_SERIES]],
  ),
  compat(
    'histogram-observe-labels',
    `prom-client API: Histogram.observe(labels, v), 3 labels, ${LABELLED_SERIES} series`,
    [['bench_request_duration_seconds', 'histogram', LABELLED_SERIES, 'default']],
  ),
  compat(
    'scrape-counter-10k-text',
    'prom-client API: register.metrics(), 1 counter × 10k series',
    counterFamilies(1, SCRAPE_SHAPES.counter10k.series),
  ),
];

/** Expected sample-line counts of a text page: sample name → lines. */
export function expectedSamples(families, library) {
  const out = new Map();
  for (const [name, kind, series, bounds] of families) {
    if (kind === 'histogram') {
      const b = bounds === 'default' ? DEFAULT_BOUND_COUNT[library] : bounds;
      out.set(`${name}_bucket`, series * (b + 1));
      out.set(`${name}_sum`, series);
      out.set(`${name}_count`, series);
    } else if (kind === 'summary') {
      out.set(name, series * SUMMARY_QUANTILES.length);
      out.set(`${name}_sum`, series);
      out.set(`${name}_count`, series);
    } else {
      out.set(name, series);
    }
  }
  return out;
}
