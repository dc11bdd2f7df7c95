import { describe, expect, it } from 'vitest';
import { describeValue } from '../src/describe-value';
import {
  DuplicateMetricError,
  InvalidNameError,
  InvalidValueError,
  type PromkitErrorClass,
  type PromkitErrorCode,
} from '../src/errors';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import { Histogram } from '../src/metrics/histogram';
import { Info } from '../src/metrics/info';
import { Summary } from '../src/metrics/summary';
import { Registry } from '../src/registry';

// Every message a caller meets when a call is wrong, verbatim: it names the metric, the
// bad value with its type, and how the call should look.

/** Calls made the way JavaScript (or a cast) lets them through the types. */
type Loose = Record<string, (...args: unknown[]) => unknown>;
const loose = (metric: object): Loose => metric as unknown as Loose;

function registryWith(make: (registry: Registry) => void): Registry {
  const registry = new Registry();
  make(registry);
  return registry;
}

interface Case {
  readonly name: string;
  readonly call: () => unknown;
  readonly error: PromkitErrorClass<PromkitErrorCode>;
  readonly message: string;
}

const gauge = new Gauge('temperature_celsius', 'Temperature.', { registry: null });
const counter = new Counter('jobs_total', 'Jobs.', { registry: null });
const labelled = new Histogram('latency_seconds', 'Latency.', {
  registry: null,
  labelNames: ['route'],
});
const summary = new Summary('size_bytes', 'Sizes.', { registry: null });

const USUAL_CAUSES =
  'Usual causes: the module creating it was loaded twice (two bundles or paths, or a hot ' +
  'reload re-running it: create metrics once, or reuse registry.get("jobs_total")); or a ' +
  'middleware or library already registers that name (rename one, or use the `prefix` ' +
  'option or a separate `registry`).';

const cases: Case[] = [
  {
    name: "gauge.set('3')",
    call: () => loose(gauge).set!.call(gauge, '3'),
    error: InvalidValueError,
    message:
      'Gauge "temperature_celsius": set() got string "3" as its first argument, where a labels object or a number goes (pass the number 3, not a string)',
  },
  {
    name: "gauge.set({ room: 'a' }, '3')",
    call: () => loose(gauge).set!.call(gauge, { room: 'a' }, '3'),
    error: InvalidValueError,
    message:
      'Gauge "temperature_celsius": set() value must be a number, got string "3" (pass the number 3, not a string)',
  },
  {
    name: 'gauge.set() without a value',
    call: () => loose(gauge).set!.call(gauge),
    error: InvalidValueError,
    message: 'Gauge "temperature_celsius": set() needs a number value, got none',
  },
  {
    name: "gauge.inc('up')",
    call: () => loose(gauge).inc!.call(gauge, 'up'),
    error: InvalidValueError,
    message:
      'Gauge "temperature_celsius": inc() got string "up" as its first argument, where a labels object or a number goes',
  },
  {
    name: 'gauge.labels({}).set(null)',
    call: () => loose(gauge.labels({})).set!.call(gauge.labels({}), null),
    error: InvalidValueError,
    message: 'Gauge "temperature_celsius": set() value must be a number, got null',
  },
  {
    name: "hist.observe({ route: '/' })",
    call: () => loose(labelled).observe!.call(labelled, { route: '/' }),
    error: InvalidValueError,
    message:
      'Histogram "latency_seconds": observe() needs a number value, got object {"route":"/"} and no value: promkit takes (labels, value), e.g. observe({"route":"/"}, 1)',
  },
  {
    name: 'hist.observe(NaN)',
    call: () => labelled.labels({ route: '/' }).observe(Number.NaN),
    error: InvalidValueError,
    message:
      'Histogram "latency_seconds": observe() value must be a number (not NaN), got number NaN',
  },
  {
    name: "hist.labels({ route: '/' }).observe({ route: '/' })",
    call: () =>
      loose(labelled.labels({ route: '/' })).observe!.call(labelled.labels({ route: '/' }), {
        route: '/',
      }),
    error: InvalidValueError,
    message:
      'Histogram "latency_seconds": observe() value must be a number (not NaN), got object {"route":"/"}: a bound child takes only the value, its labels were given to labels()',
  },
  {
    name: "summary.observe('0.5')",
    call: () => loose(summary).observe!.call(summary, '0.5'),
    error: InvalidValueError,
    message:
      'Summary "size_bytes": observe() got string "0.5" as its first argument, where a labels object or a number goes (pass the number 0.5, not a string)',
  },
  {
    name: "counter.inc('2')",
    call: () => loose(counter).inc!.call(counter, '2'),
    error: InvalidValueError,
    message:
      'Counter "jobs_total": inc() got string "2" as its first argument, where a labels object or a number goes (pass the number 2, not a string)',
  },
  {
    name: "counter.inc(undefined, '2')",
    call: () => loose(counter).inc!.call(counter, undefined, '2'),
    error: InvalidValueError,
    message:
      'Counter "jobs_total": increment must be a finite number ≥ 0, got string "2" (pass the number 2, not a string)',
  },
  {
    name: 'counter.inc(-1)',
    call: () => counter.inc(-1),
    error: InvalidValueError,
    message: 'Counter "jobs_total": increment must be a finite number ≥ 0, got number -1',
  },
  {
    name: 'new Counter({ name, help }) (prom-client style)',
    call: () => new Counter({ name: 'jobs_total', help: 'Jobs.' } as unknown as string, ''),
    error: InvalidNameError,
    message:
      'Counter: got object {"name":"jobs_total","help":"Jobs."} where the metric name goes: promkit takes (name, help, options), e.g. new Counter(\'jobs_total\', \'Jobs run.\', { labelNames: [\'queue\'] })',
  },
  {
    name: 'new Histogram(name, { buckets }) (help left out)',
    call: () => new Histogram('h_seconds', { buckets: [1] } as unknown as string),
    error: InvalidNameError,
    message:
      'Histogram "h_seconds": help must be a string, got object {"buckets":[1]}: promkit takes (name, help, options)',
  },
  {
    name: 'new Info({ name })',
    call: () => new Info({ name: 'build' } as unknown as string, 'Build.'),
    error: InvalidNameError,
    message:
      "Info: got object {\"name\":\"build\"} where the metric name goes: promkit takes (name, help, options), e.g. new Info('jobs_total', 'Jobs run.', { labelNames: ['queue'] })",
  },
  {
    name: 'a counter, then a gauge under its name',
    call: () => {
      const registry = registryWith(
        (r) => new Counter('jobs_total', 'Jobs run.', { registry: r, labelNames: ['queue'] }),
      );
      new Gauge('jobs_total', 'Jobs waiting.', { registry });
    },
    error: DuplicateMetricError,
    message:
      'A metric named "jobs_total" is already registered: the registered one is a counter with labels ["queue"] and help "Jobs run.", this one is a gauge with labels [] and help "Jobs waiting."; they differ in type, label names, help. ' +
      USUAL_CAUSES,
  },
  {
    name: 'the same counter twice',
    call: () => {
      const registry = registryWith((r) => new Counter('jobs_total', 'Jobs run.', { registry: r }));
      new Counter('jobs_total', 'Jobs run.', { registry });
    },
    error: DuplicateMetricError,
    message:
      'A metric named "jobs_total" is already registered: the registered one is a counter with labels [] and help "Jobs run.", this one is a counter with labels [] and help "Jobs run."; the same definition, so most likely the same code ran twice. ' +
      USUAL_CAUSES,
  },
  {
    name: 'a counter, then a custom collector under its name',
    call: () => {
      const registry = registryWith((r) => new Counter('jobs_total', 'Jobs run.', { registry: r }));
      registry.register({ name: 'jobs_total', collect: () => [] });
    },
    error: DuplicateMetricError,
    message:
      'A metric named "jobs_total" is already registered: the registered one is a counter with labels [] and help "Jobs run.", this one is a collector with labels any and help none; they differ in type, label names, help. ' +
      USUAL_CAUSES,
  },
];

describe('error messages', () => {
  it.each(cases)('$name', ({ call, error, message }) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(error);
    expect((thrown as Error).message).toBe(message);
  });

  it('a wrong call leaves the series as they were', () => {
    const h = new Histogram('untouched_seconds', 'U.', { registry: null, labelNames: ['route'] });
    expect(() => loose(h).observe!.call(h, { route: '/' })).toThrow(InvalidValueError);
    expect(h.seriesCount).toBe(0);
  });
});

describe('describeValue', () => {
  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    ['3', 'string "3"'],
    [Number.NaN, 'number NaN'],
    [-1, 'number -1'],
    [true, 'boolean true'],
    [3n, 'bigint 3n'],
    [{ route: '/' }, 'object {"route":"/"}'],
    [[1, 2], 'array [1,2]'],
    [function named() {}, 'function named'],
    [Symbol('s'), 'symbol Symbol(s)'],
    ['x'.repeat(200), `string "${'x'.repeat(118)}…`],
  ])('%s → %s', (value, shown) => {
    expect(describeValue(value)).toBe(shown);
  });

  it('shows a circular object by its tag', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(describeValue(circular)).toBe('object [object Object]');
  });
});
