import { describe, expect, it } from 'vitest';
import {
  negotiate,
  OPENMETRICS_0_0_1_FORMAT,
  OPENMETRICS_FORMAT,
  PROTOBUF_FORMAT,
  TEXT_FORMAT,
} from '../src/exposition/negotiate';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8';
const OM = 'application/openmetrics-text; version=1.0.0; charset=utf-8';
const OM001 = 'application/openmetrics-text; version=0.0.1; charset=utf-8';
const PB =
  'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited';

// Sent by Prometheus 2.42 (ORACLES.md), default and with --enable-feature=native-histograms.
const PROMETHEUS_DEFAULT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
const PROMETHEUS_NATIVE =
  'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const cases: [name: string, accept: string | null | undefined, contentType: string][] = [
  ['Prometheus 2.42 default', PROMETHEUS_DEFAULT, OM],
  ['Prometheus 2.42 with native histograms', PROMETHEUS_NATIVE, PB],
  ['absent (undefined)', undefined, TEXT],
  ['absent (null)', null, TEXT],
  ['empty', '', TEXT],
  ['whitespace only', '   \t ', TEXT],
  ['garbage', 'garbage', TEXT],
  ['only separators', ',;,;=', TEXT],
  ['unknown media type', 'application/json', TEXT],
  ['*/*', '*/*', TEXT],
  ['text/* ', 'text/*', TEXT],
  ['application/* means OpenMetrics', 'application/*', OM],
  ['curl default', '*/*', TEXT],
  ['browser', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', TEXT],
  ['text/plain without version', 'text/plain', TEXT],
  ['text/plain with an unknown version is still 0.0.4', 'text/plain;version=0.0.5', TEXT],
  ['OpenMetrics without version', 'application/openmetrics-text', OM],
  ['OpenMetrics 1.0.0', 'application/openmetrics-text; version=1.0.0', OM],
  ['OpenMetrics 0.0.1 only', 'application/openmetrics-text;version=0.0.1', OM001],
  [
    'OpenMetrics both versions, the client prefers 0.0.1 by q',
    'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1',
    OM001,
  ],
  [
    'OpenMetrics both versions at equal q: 1.0.0',
    'application/openmetrics-text;version=0.0.1, application/openmetrics-text;version=1.0.0',
    OM,
  ],
  ['OpenMetrics of an unknown version', 'application/openmetrics-text;version=2.0.0', TEXT],
  [
    'OpenMetrics of an unknown version, text as fallback',
    'application/openmetrics-text;version=2.0.0,text/plain;q=0.1',
    TEXT,
  ],
  [
    'protobuf with parameters',
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited',
    PB,
  ],
  [
    'protobuf parameters in any order and case, with spaces',
    'Application/Vnd.Google.Protobuf ; Encoding=Delimited ;  PROTO=io.prometheus.client.MetricFamily',
    PB,
  ],
  [
    'protobuf parameters quoted',
    'application/vnd.google.protobuf;proto="io.prometheus.client.MetricFamily";encoding="delimited"',
    PB,
  ],
  ['protobuf without parameters is not protobuf', 'application/vnd.google.protobuf', TEXT],
  [
    'protobuf with text encoding is not delimited protobuf',
    'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text',
    TEXT,
  ],
  ['wildcards never pick protobuf', '*/*, application/*', TEXT],
  ['q-values: text preferred', 'application/openmetrics-text;q=0.5, text/plain;q=0.9', TEXT],
  ['q-values: OpenMetrics preferred', 'text/plain;q=0.5, application/openmetrics-text;q=0.9', OM],
  [
    'q first among parameters',
    'application/openmetrics-text;q=0.9;version=1.0.0, text/plain;q=0.5',
    OM,
  ],
  [
    'Q and parameters in upper case',
    'TEXT/PLAIN;Q=0.2;VERSION=0.0.4, APPLICATION/OPENMETRICS-TEXT;Q=0.3',
    OM,
  ],
  ['q=0 refuses OpenMetrics', 'application/openmetrics-text;q=0, text/plain;q=0.1', TEXT],
  ['q=0 refuses text, wildcard then gives OpenMetrics', 'text/plain;q=0, */*', OM],
  [
    'q=0 on everything falls back to text',
    'text/plain;q=0, application/openmetrics-text;q=0',
    TEXT,
  ],
  ['q=0.000 is zero', 'application/openmetrics-text;q=0.000', TEXT],
  ['q=1.000 is one', 'text/plain;q=0.999, application/openmetrics-text;q=1.000', OM],
  [
    'invalid q (above 1) skips that range',
    'application/openmetrics-text;q=2, text/plain;q=0.1',
    TEXT,
  ],
  ['invalid q (not a number) skips that range', 'application/openmetrics-text;q=high', TEXT],
  ['invalid q (4 decimals) skips that range', 'application/openmetrics-text;q=0.1234', TEXT],
  [
    'more specific range decides over a wildcard',
    'application/*;q=0.9, application/openmetrics-text;q=0.1, text/plain;q=0.5',
    TEXT,
  ],
  [
    'ties between named formats: protobuf > OpenMetrics > text',
    `text/plain, application/openmetrics-text, ${'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited'}`,
    PB,
  ],
  [
    'tie between named text and OpenMetrics: OpenMetrics',
    'text/plain;q=0.5, application/openmetrics-text;q=0.5',
    OM,
  ],
  ['tie between named text and a wildcard: listed first wins', 'text/plain, application/*', TEXT],
  ['tie between a wildcard and a named format: listed first wins', 'application/*, text/plain', OM],
  [
    'extra whitespace and empty elements',
    ' ,  application/openmetrics-text ; version = 1.0.0 ,, ',
    OM,
  ],
  [
    'quoted comma inside a parameter',
    'text/plain;foo="a,b;c", application/openmetrics-text;q=0.4',
    TEXT,
  ],
  ['*/type is not a media range', '*/plain', TEXT],
];

describe('negotiate', () => {
  it.each(cases)('%s', (_name, accept, contentType) => {
    expect(negotiate(accept).contentType).toBe(contentType);
  });

  it('names each format', () => {
    expect(negotiate(PROMETHEUS_DEFAULT)).toBe(OPENMETRICS_FORMAT);
    expect(negotiate(PROMETHEUS_NATIVE)).toBe(PROTOBUF_FORMAT);
    expect(negotiate('application/openmetrics-text;version=0.0.1')).toBe(OPENMETRICS_0_0_1_FORMAT);
    expect(negotiate(undefined)).toBe(TEXT_FORMAT);
    expect(OPENMETRICS_0_0_1_FORMAT.name).toBe('openmetrics');
    expect([TEXT_FORMAT.name, OPENMETRICS_FORMAT.name, PROTOBUF_FORMAT.name]).toEqual([
      'text',
      'openmetrics',
      'protobuf',
    ]);
  });

  it('answers the same for a repeated header (the cached answer) and a different one after it', () => {
    expect(negotiate(PROMETHEUS_DEFAULT)).toBe(OPENMETRICS_FORMAT);
    expect(negotiate(PROMETHEUS_DEFAULT)).toBe(OPENMETRICS_FORMAT);
    expect(negotiate('text/plain')).toBe(TEXT_FORMAT);
    expect(negotiate(PROMETHEUS_DEFAULT)).toBe(OPENMETRICS_FORMAT);
  });

  it('returns frozen formats', () => {
    expect(Object.isFrozen(negotiate(PROMETHEUS_DEFAULT))).toBe(true);
  });
});
