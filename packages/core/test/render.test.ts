import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors';
import { encodeOpenMetrics } from '../src/exposition/openmetrics';
import { encode, render } from '../src/exposition/render';
import { encodeText } from '../src/exposition/text';
import type { MetricFamily } from '../src/model';
import { richFamilies } from './exposition-fixtures';

const PROMETHEUS_DEFAULT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const families: MetricFamily[] = [
  { name: 'up_total', help: 'Ups.', type: 'counter', points: [{ labels: { a: 'b' }, value: 2 }] },
];

describe('render', () => {
  it('answers text 0.0.4 without an Accept header', async () => {
    const rendered = await render({ collect: () => families });
    expect(rendered).toEqual({
      body: '# HELP up_total Ups.\n# TYPE up_total counter\nup_total{a="b"} 2\n',
      contentType: 'text/plain; version=0.0.4; charset=utf-8',
      format: 'text',
    });
  });

  it('answers OpenMetrics to Prometheus and awaits an async collector', async () => {
    const rendered = await render({ collect: async () => families }, PROMETHEUS_DEFAULT);
    expect(rendered).toEqual({
      body: '# TYPE up counter\n# HELP up Ups.\nup_total{a="b"} 2\n# EOF\n',
      contentType: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
      format: 'openmetrics',
    });
  });

  it('answers OpenMetrics 0.0.1 with the same body and that version in the Content-Type', async () => {
    const rendered = await render(
      { collect: () => families },
      'application/openmetrics-text;version=0.0.1',
    );
    expect(rendered.contentType).toBe('application/openmetrics-text; version=0.0.1; charset=utf-8');
    expect(rendered.body).toBe(encodeOpenMetrics(families));
  });

  it('hands protobuf to the protobuf writer when Prometheus asks for native histograms', async () => {
    const native =
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,*/*;q=0.1';
    const rendered = await render({ collect: () => families }, native);
    expect(rendered.format).toBe('protobuf');
    expect(rendered.contentType).toBe(
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
    );
    expect(rendered.body).toBeInstanceOf(Uint8Array);
  });

  it('collects once per render', async () => {
    let calls = 0;
    const source = {
      collect: () => {
        calls++;
        return families;
      },
    };
    await render(source, null);
    await render(source, 'text/plain');
    expect(calls).toBe(2);
  });

  it('rejects with the collector error', async () => {
    const failure = new Error('collector broke');
    await expect(
      render({
        collect: () => {
          throw failure;
        },
      }),
    ).rejects.toBe(failure);
    await expect(render({ collect: () => Promise.reject(failure) })).rejects.toBe(failure);
  });
});

describe('encode', () => {
  it('dispatches to the text writers', () => {
    const rich = richFamilies();
    expect(encode(rich, 'text')).toBe(encodeText(rich));
    expect(encode(rich, 'openmetrics')).toBe(encodeOpenMetrics(rich));
  });

  it('throws a ConfigError naming an unknown format', () => {
    expect(() => encode(families, 'json' as 'text')).toThrow(ConfigError);
    expect(() => encode(families, 'json' as 'text')).toThrow(/"json"/);
  });
});
