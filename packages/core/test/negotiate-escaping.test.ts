import { describe, expect, it } from 'vitest';
import { negotiate } from '../src/exposition/negotiate';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const TEXT1 = 'text/plain; version=1.0.0; charset=utf-8';
const OM = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const OM001 = 'application/openmetrics-text; version=0.0.1; charset=utf-8';
const PB =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

// prometheus/docs content_negotiation.md, "Examples" (its `*/*` is printed as `/`, kept so:
// a range that does not parse is skipped).
const SPEC_DEFAULT =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf8;q=0.3,text/plain;version=0.0.4;q=0.2,/;q=0.1';
const SPEC_PROTOBUF_FIRST =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,application/openmetrics-text;version=1.0.0;escaping=allow-utf8;q=0.4,application/openmetrics-text;version=0.0.1;q=0.3,text/plain;version=1.0.0;escaping=allow-utf8;q=0.2,text/plain;version=0.0.4;q=0.1,/;q=0.0';
// What Prometheus 3 sends (scrape.go acceptHeader): escaping on the 1.0.0 text formats only.
const PROMETHEUS_3 =
  'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const PROMETHEUS_3_LEGACY_NAMES =
  'application/openmetrics-text;version=1.0.0;escaping=underscores;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=underscores;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2';
const PROMETHEUS_2_42 =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const cases: [name: string, accept: string | undefined, contentType: string, escaping: string][] = [
  ['spec: default Accept', SPEC_DEFAULT, `${OM}; escaping=allow-utf-8`, 'allow-utf-8'],
  [
    'spec: protobuf-first Accept (protobuf carries UTF-8 names)',
    SPEC_PROTOBUF_FIRST,
    `${PB}; escaping=allow-utf-8`,
    'allow-utf-8',
  ],
  ['Prometheus 3', PROMETHEUS_3, `${OM}; escaping=allow-utf-8`, 'allow-utf-8'],
  [
    'Prometheus 3 with legacy name validation',
    PROMETHEUS_3_LEGACY_NAMES,
    `${OM}; escaping=underscores`,
    'underscores',
  ],
  ['Prometheus 2.42: unchanged Content-Type, underscores', PROMETHEUS_2_42, OM, 'underscores'],
  ['no Accept header', undefined, TEXT, 'underscores'],
  [
    'text 1.0.0 without escaping',
    'text/plain;version=1.0.0',
    `${TEXT1}; escaping=underscores`,
    'underscores',
  ],
  [
    'text 1.0.0 allow-utf-8',
    'text/plain;version=1.0.0;escaping=allow-utf-8',
    `${TEXT1}; escaping=allow-utf-8`,
    'allow-utf-8',
  ],
  [
    'text 1.0.0 allow-utf8 spelling',
    'text/plain;version=1.0.0;escaping=allow-utf8',
    `${TEXT1}; escaping=allow-utf-8`,
    'allow-utf-8',
  ],
  [
    'text 1.0.0 underscores',
    'text/plain;version=1.0.0;escaping=underscores',
    `${TEXT1}; escaping=underscores`,
    'underscores',
  ],
  ['text 1.0.0 dots', 'text/plain;version=1.0.0;escaping=dots', `${TEXT1}; escaping=dots`, 'dots'],
  [
    'text 1.0.0 values',
    'text/plain;version=1.0.0;escaping=values',
    `${TEXT1}; escaping=values`,
    'values',
  ],
  [
    'text 1.0.0, escaping quoted',
    'text/plain;version=1.0.0;escaping="dots"',
    `${TEXT1}; escaping=dots`,
    'dots',
  ],
  [
    'OpenMetrics 1.0.0 allow-utf-8',
    'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8',
    `${OM}; escaping=allow-utf-8`,
    'allow-utf-8',
  ],
  [
    'OpenMetrics 1.0.0 dots',
    'application/openmetrics-text;version=1.0.0;escaping=dots',
    `${OM}; escaping=dots`,
    'dots',
  ],
  [
    'OpenMetrics 1.0.0 values',
    'application/openmetrics-text;version=1.0.0;escaping=values',
    `${OM}; escaping=values`,
    'values',
  ],
  [
    'OpenMetrics 0.0.1 cannot quote: allow-utf-8 becomes underscores',
    'application/openmetrics-text;version=0.0.1;escaping=allow-utf-8',
    `${OM001}; escaping=underscores`,
    'underscores',
  ],
  [
    'text 0.0.4 cannot quote: allow-utf-8 becomes underscores',
    'text/plain;version=0.0.4;escaping=allow-utf-8',
    `${TEXT}; escaping=underscores`,
    'underscores',
  ],
  [
    'text 0.0.4 values',
    'text/plain;version=0.0.4;escaping=values',
    `${TEXT}; escaping=values`,
    'values',
  ],
  [
    'protobuf underscores',
    `${PB};escaping=underscores`.replace(/; /g, ';'),
    `${PB}; escaping=underscores`,
    'underscores',
  ],
  [
    'protobuf allow-utf-8',
    `${PB};escaping=allow-utf-8`.replace(/; /g, ';'),
    `${PB}; escaping=allow-utf-8`,
    'allow-utf-8',
  ],
  ['protobuf, no escaping: legacy scraper', PB.replace(/; /g, ';'), PB, 'underscores'],
  [
    'unknown scheme is ignored',
    'application/openmetrics-text;version=1.0.0;escaping=utf8',
    OM,
    'underscores',
  ],
  [
    'q-values: text 1.0.0 over OpenMetrics',
    'text/plain;version=1.0.0;q=0.9,application/openmetrics-text;q=0.5',
    `${TEXT1}; escaping=underscores`,
    'underscores',
  ],
  [
    'q-values: text 0.0.4 over text 1.0.0',
    'text/plain;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.5',
    TEXT,
    'underscores',
  ],
  [
    'tie between the two text versions: 1.0.0',
    'text/plain;version=0.0.4,text/plain;version=1.0.0',
    `${TEXT1}; escaping=underscores`,
    'underscores',
  ],
  ['text/plain without version is 0.0.4', 'text/plain', TEXT, 'underscores'],
  ['text/* is 0.0.4', 'text/*', TEXT, 'underscores'],
  ['*/* is 0.0.4', '*/*', TEXT, 'underscores'],
  ['q=0 refuses text 1.0.0', 'text/plain;version=1.0.0;q=0', TEXT, 'underscores'],
];

describe('negotiate: formats, q-values and escaping schemes', () => {
  it.each(cases)('%s', (_name, accept, contentType, escaping) => {
    const format = negotiate(accept);
    expect(format.contentType).toBe(contentType);
    expect(format.escaping).toBe(escaping);
  });

  it('answers a repeated header with the same frozen object', () => {
    expect(negotiate(PROMETHEUS_3)).toBe(negotiate(PROMETHEUS_3));
    expect(Object.isFrozen(negotiate(PROMETHEUS_3))).toBe(true);
  });
});
