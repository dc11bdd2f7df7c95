import {
  ConfigError,
  Counter,
  DuplicateMetricError,
  Gauge,
  Histogram,
  Info,
  Registry,
  StateSet,
  Summary,
} from '@promkit/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ExporterScript, InvalidMetricTypeError, type MetricConfig } from '../src/index';

function exporter(): ExporterScript {
  return new ExporterScript();
}

describe('createMetrics', () => {
  it('makes every type in the exporter registry, typed by config', async () => {
    const script = exporter();
    const metrics = script.createMetrics([
      { name: 'jobs_total', description: 'Jobs.', type: 'counter', labels: ['queue'] },
      { name: 'queue_depth', description: 'Depth.', type: 'gauge', labels: ['queue'] },
      { name: 'job_seconds', description: 'Time.', type: 'histogram', config: { buckets: [1, 5] } },
      {
        name: 'payload_bytes',
        description: 'Size.',
        type: 'summary',
        config: { maxAgeSeconds: 60, ageBuckets: 3 },
      },
      { name: 'build', description: 'Build.', type: 'info' },
      { name: 'phase', description: 'Phase.', type: 'enum', config: { states: ['idle', 'busy'] } },
      {
        name: 'flags',
        description: 'Flags.',
        type: 'stateset',
        labels: ['host'],
        config: { states: ['a', 'b'] },
      },
    ] as const);
    expect(metrics.jobs_total).toBeInstanceOf(Counter);
    expect(metrics.queue_depth).toBeInstanceOf(Gauge);
    expect(metrics.job_seconds).toBeInstanceOf(Histogram);
    expect(metrics.job_seconds.buckets).toEqual([1, 5]);
    expect(metrics.payload_bytes).toBeInstanceOf(Summary);
    expect(metrics.build).toBeInstanceOf(Info);
    expect(metrics.phase).toBeInstanceOf(StateSet);
    expect(metrics.flags.states).toEqual(['a', 'b']);
    expect(Object.keys(script.metrics)).toEqual(Object.keys(metrics));

    expectTypeOf(metrics.jobs_total).toEqualTypeOf<Counter<'queue'>>();
    expectTypeOf(metrics.job_seconds).toEqualTypeOf<Histogram<never>>();
    expectTypeOf(metrics.phase).toEqualTypeOf<StateSet<'idle' | 'busy', never>>();
    expectTypeOf(metrics.flags).toEqualTypeOf<StateSet<'a' | 'b', 'host'>>();

    metrics.jobs_total.inc({ queue: 'mail' }, 2);
    metrics.phase.set(undefined, 'busy');
    metrics.build.set({ version: '1.0' });
    const names = (await script.registry.collect()).map((f) => f.name);
    expect(names).toEqual([
      'jobs_total',
      'queue_depth',
      'job_seconds',
      'payload_bytes',
      'build',
      'phase',
      'flags',
    ]);
  });

  it('without labels, the metric takes none', () => {
    const { plain } = exporter().createMetrics([
      { name: 'plain', description: '.', type: 'gauge' },
    ] as const);
    // @ts-expect-error labels were not declared
    expect(() => plain.set({ queue: 'x' }, 1)).toThrow(/queue/);
    plain.set(3);
    expect(plain.get()).toBe(3);
  });

  it('an unknown type names the metric, the type and the valid types', () => {
    const config = {
      name: 'queue_depth',
      description: '.',
      type: 'guage',
    } as unknown as MetricConfig;
    expect(() => exporter().createMetrics([config])).toThrow(InvalidMetricTypeError);
    expect(() => exporter().createMetrics([config])).toThrow(
      'metric "queue_depth": invalid type "guage", must be one of counter, enum, gauge, histogram, info, stateset, summary',
    );
  });

  const badConfigs: Array<[string, unknown, string]> = [
    [
      'an unknown config key',
      { name: 'h', description: '.', type: 'histogram', config: { bukets: [1] } },
      'metric "h" (histogram): unknown config key "bukets", valid keys: buckets, constLabels, maxSeries, unit, native',
    ],
    [
      'a key of another type',
      { name: 'c', description: '.', type: 'counter', config: { buckets: [1] } },
      'metric "c" (counter): unknown config key "buckets", valid keys: constLabels, maxSeries, unit',
    ],
    [
      'an enum without states',
      { name: 'e', description: '.', type: 'enum' },
      `metric "e" (enum): config.states is required, e.g. { states: ['up', 'down'] }`,
    ],
    [
      'an info with labels',
      { name: 'i', description: '.', type: 'info', labels: ['x'] },
      'metric "i": an info metric takes no labels (its information is set with .set({...})), got ["x"]',
    ],
    [
      'labels that are not strings',
      { name: 'g', description: '.', type: 'gauge', labels: [1] },
      'metric "g": labels must be an array of label names, got [1]',
    ],
    ['no description', { name: 'g', type: 'gauge' }, 'metric "g": description must be a string'],
    [
      'no name',
      { description: '.', type: 'gauge' },
      'createMetrics: metric name must be a non-empty string, got undefined',
    ],
    [
      'config that is not an object',
      { name: 'g', description: '.', type: 'gauge', config: [1] },
      'metric "g": config must be an object, got [1]',
    ],
  ];
  for (const [what, config, message] of badConfigs) {
    it(`rejects ${what}`, () => {
      expect(() => exporter().createMetrics([config as MetricConfig])).toThrow(ConfigError);
      expect(() => exporter().createMetrics([config as MetricConfig])).toThrow(message);
    });
  }

  it('passes bad values to core validation, which names the metric', () => {
    expect(() =>
      exporter().createMetrics([
        { name: 'h', description: '.', type: 'histogram', config: { buckets: [5, 1] } },
      ]),
    ).toThrow(/"h"/);
    expect(() =>
      exporter().createMetrics([{ name: 'bad-name', description: '.', type: 'gauge' }]),
    ).toThrow(/bad-name/);
  });

  it('leaves the registry as it was when a later config fails', () => {
    const script = exporter();
    expect(() =>
      script.createMetrics([
        { name: 'first', description: '.', type: 'gauge' },
        { name: 'second', description: '.', type: 'histogram', config: { buckets: [] } },
      ]),
    ).toThrow(ConfigError);
    expect(script.registry.getAll()).toEqual([]);
    expect(script.metrics).toEqual({});
    script.createMetrics([{ name: 'first', description: '.', type: 'gauge' }]);
    expect(() =>
      script.createMetrics([{ name: 'first', description: '.', type: 'counter' }]),
    ).toThrow(DuplicateMetricError);
  });

  it('uses its own registry per exporter, not the default one', () => {
    const a = exporter();
    const b = exporter();
    a.createMetrics([{ name: 'same', description: '.', type: 'gauge' }]);
    b.createMetrics([{ name: 'same', description: '.', type: 'gauge' }]);
    expect(a.registry).toBeInstanceOf(Registry);
    expect(a.registry).not.toBe(b.registry);
  });
});
