// fast-check arbitraries for metric families recorded through the metric classes, and
// what each exposition format must show for them, computed from the recorded
// operations rather than from the metrics' own snapshots.
import fc from 'fast-check';
import {
  Counter,
  Gauge,
  Histogram,
  Info,
  type MetricType,
  type Registry,
  StateSet,
  Summary,
} from '../../src/index';

export type Kind = Exclude<MetricType, 'untyped'>;
export type FormatName = 'text' | 'openmetrics' | 'protobuf';
type Labels = Record<string, string>;

export interface Op {
  /** Index into `series` (modulo its length). */
  readonly series: number;
  /** Increment, gauge value, observation; the state index for a state set. */
  readonly value: number;
  /** Counters and histograms: record this exemplar with the update. */
  readonly exemplar?: Labels;
}

export interface FamilySpec {
  readonly kind: Kind;
  readonly name: string;
  readonly help: string;
  readonly unit: string | undefined;
  /** `labelNames` given (typed, fixed label set) or not (any label set accepted). */
  readonly declared: boolean;
  readonly labelNames: readonly string[];
  readonly constLabels: Labels;
  /** Label values of each series, in `labelNames` order; distinct. */
  readonly series: readonly (readonly string[])[];
  readonly ops: readonly Op[];
  readonly buckets: readonly number[];
  readonly native: boolean;
  readonly states: readonly string[];
  /** Info label sets, applied in order (the last one wins). */
  readonly infos: readonly Labels[];
}

// --- arbitraries -------------------------------------------------------------------

/** Awkward characters for both text formats and for protobuf strings. */
const NASTY = fc.constantFrom(
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  ' ',
  '#',
  '{',
  '}',
  ',',
  '=',
  '\u0000',
  '\u007f',
  '\u2028',
  '\ufeff',
  '\ufffd',
  '😀',
  'é',
  'a',
);

/**
 * Well-formed strings: any Unicode scalar value, escaping stress, empty and very long.
 * Lone surrogates are left out: core stores them as U+FFFD (see well-formed.ts), which
 * this model of expected values does not follow; test/well-formed.test.ts covers them.
 */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'binary', maxLength: 24 }) },
  { weight: 3, arbitrary: fc.string({ unit: NASTY, maxLength: 16 }) },
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
        fc.integer({ min: 300, max: 2000 }),
      )
      .map(([chunk, times]) => chunk.repeat(times)),
  },
);

export const SPECIAL_VALUES: readonly number[] = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  0,
  -0,
  Number.MIN_VALUE, // smallest subnormal
  -Number.MIN_VALUE,
  2.2250738585072014e-308, // smallest normal
  2.225073858507201e-308, // largest subnormal
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53) - 2,
  Number.MAX_SAFE_INTEGER,
  2 ** 64,
  1e21,
  1e22,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  0.1,
  1 / 3,
];

export const anyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(...SPECIAL_VALUES),
  fc.double(),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(Number),
  fc.integer(),
);

const metricName = fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,24}$/);
export const labelName: fc.Arbitrary<string> = fc
  .stringMatching(/^[a-zA-Z_][a-zA-Z0-9_]{0,16}$/)
  .filter((name) => !name.startsWith('__'));
// A state set's name is also the label naming its state: no ':' and no '__' prefix
// (core rejects those names; test/info-stateset.test.ts checks it).
const stateSetName = labelName;
const unitName = fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/);

// No NUL: core refuses it in exemplar labels (Prometheus' OpenMetrics parser fails the page).
const exemplarLabels: fc.Arbitrary<Labels> = fc
  .dictionary(
    labelName,
    fc.string({ unit: 'binary', maxLength: 12 }).filter((v) => !v.includes('\u0000')),
    { maxKeys: 3 },
  )
  .filter((labels) => runes(labels) <= 128);

function runes(labels: Labels): number {
  let n = 0;
  for (const [k, v] of Object.entries(labels)) n += [...k].length + [...v].length;
  return n;
}

const NAME_SUFFIXES: Record<Kind, readonly string[]> = {
  counter: ['', '_total'],
  gauge: [''],
  histogram: [''],
  summary: [''],
  info: ['', '_info', '_info_info'],
  stateset: [''],
};

/** Label names a kind reserves for itself. */
function reserved(kind: Kind, name: string): readonly string[] {
  if (kind === 'histogram') return ['le'];
  if (kind === 'summary') return ['quantile'];
  if (kind === 'stateset') return [name];
  return [];
}

function valueFor(kind: Kind): fc.Arbitrary<number> {
  switch (kind) {
    case 'counter':
      return anyNumber.filter((v) => v >= 0 && v !== Number.POSITIVE_INFINITY);
    case 'histogram':
    case 'summary':
      return anyNumber.filter((v) => !Number.isNaN(v));
    case 'stateset':
      return fc.nat();
    default:
      return anyNumber;
  }
}

/** One family of `kind` with its label sets and recorded operations. */
export function familySpec(kind: Kind): fc.Arbitrary<FamilySpec> {
  const withUnit =
    kind === 'counter' || kind === 'gauge' || kind === 'histogram' || kind === 'summary';
  return fc
    .record({
      base: kind === 'stateset' ? stateSetName : metricName,
      suffix: fc.constantFrom(...NAME_SUFFIXES[kind]),
      unit: withUnit ? fc.option(unitName, { nil: undefined, freq: 3 }) : fc.constant(undefined),
      help: anyText,
      declared: fc.boolean(),
      names: fc.uniqueArray(labelName, { maxLength: 5 }),
      constCount: fc.nat({ max: 2 }),
      buckets: fc
        .uniqueArray(fc.double({ noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 8,
          comparator: (a, b) => a === b,
        })
        .map((b) => b.sort((x, y) => x - y)),
      native: fc.boolean(),
      states: fc.uniqueArray(anyText, { minLength: 1, maxLength: 4 }),
    })
    .chain((head) => {
      const name = head.unit === undefined ? head.base + head.suffix : `${head.base}_${head.unit}`;
      const names = head.names.filter((n) => !reserved(kind, name).includes(n));
      const constNames = names.slice(0, Math.min(head.constCount, names.length));
      const labelNames = names.slice(constNames.length);
      const width = kind === 'info' ? 0 : labelNames.length;
      return fc
        .record({
          constValues: fc.array(anyText, {
            minLength: constNames.length,
            maxLength: constNames.length,
          }),
          series: fc.uniqueArray(fc.array(anyText, { minLength: width, maxLength: width }), {
            minLength: 1,
            maxLength: width === 0 ? 1 : 5,
            selector: (values) => JSON.stringify(values),
          }),
          ops: fc.array(
            fc.record({
              series: fc.nat(),
              value: valueFor(kind),
              exemplar:
                kind === 'counter' || kind === 'histogram'
                  ? fc.option(exemplarLabels, { nil: undefined, freq: 3 })
                  : fc.constant(undefined),
            }),
            { maxLength: 12 },
          ),
          infos: fc.array(
            fc.array(anyText, { minLength: labelNames.length, maxLength: labelNames.length }),
            { maxLength: 2 },
          ),
        })
        .map(
          (rest): FamilySpec => ({
            kind,
            name,
            help: head.help,
            unit: head.unit,
            declared: head.declared,
            labelNames,
            constLabels: Object.fromEntries(constNames.map((n, i) => [n, rest.constValues[i]!])),
            series: rest.series,
            ops: rest.ops.map(({ exemplar, ...op }) =>
              exemplar === undefined ? op : { ...op, exemplar },
            ),
            buckets: head.buckets,
            native: head.native,
            states: head.states,
            infos: rest.infos.map((values) =>
              Object.fromEntries(labelNames.map((n, i) => [n, values[i]!])),
            ),
          }),
        );
    });
}

const KINDS: readonly Kind[] = ['counter', 'gauge', 'histogram', 'summary', 'info', 'stateset'];

/** Families that can share one page: no two of them produce the same family or sample name. */
export function familyBatch(minLength: number, maxLength: number): fc.Arbitrary<FamilySpec[]> {
  return fc
    .array(
      fc.constantFrom(...KINDS).chain((kind) => familySpec(kind)),
      { minLength, maxLength },
    )
    .map(withoutNameClashes);
}

export function withoutNameClashes(specs: FamilySpec[]): FamilySpec[] {
  const taken = new Set<string>();
  const kept: FamilySpec[] = [];
  for (const spec of specs) {
    const names = reachableNames(spec.name);
    if (names.some((n) => taken.has(n))) continue;
    for (const n of names) taken.add(n);
    kept.push(spec);
  }
  return kept;
}

/** Every family or sample name any format could derive from `name` (generously). */
function reachableNames(name: string): string[] {
  const bases = new Set([
    name,
    stripSuffix(name, '_total'),
    stripSuffix(name, '_info'),
    infoName(name),
  ]);
  const out: string[] = [];
  for (const base of bases) {
    for (const suffix of ['', '_total', '_created', '_bucket', '_sum', '_count', '_info']) {
      out.push(base + suffix);
    }
  }
  return out;
}

// --- recording through the metric classes ------------------------------------------

export type Recorded = Counter | Gauge | Histogram | Summary | Info | StateSet<string>;

function seriesLabels(spec: FamilySpec, index: number, reversed: boolean): Labels {
  const values = spec.series[index % spec.series.length]!;
  const names = reversed ? [...spec.labelNames].reverse() : spec.labelNames;
  const labels: Labels = {};
  for (const name of names) labels[name] = values[spec.labelNames.indexOf(name)]!;
  return labels;
}

/**
 * The label object an operation passes: declared metrics get their names in order,
 * undeclared ones alternate the key order (the series must not depend on it), and a
 * metric without labels gets `undefined`.
 */
function callLabels(spec: FamilySpec, op: Op, i: number): Labels | undefined {
  if (spec.labelNames.length === 0) return undefined;
  return seriesLabels(spec, op.series, !spec.declared && i % 2 === 1);
}

/** Creates the metric of `spec` in `registry` and applies its operations. */
export function record(spec: FamilySpec, registry: Registry): Recorded {
  const options = {
    registry,
    constLabels: spec.constLabels,
    ...(spec.declared ? { labelNames: spec.labelNames } : {}),
    ...(spec.unit === undefined ? {} : { unit: spec.unit }),
  };
  switch (spec.kind) {
    case 'counter': {
      const counter = new Counter<string>(spec.name, spec.help, options);
      spec.ops.forEach((op, i) => {
        const labels = callLabels(spec, op, i);
        if (op.exemplar !== undefined) counter.incWithExemplar(labels, op.value, op.exemplar);
        else if (labels === undefined) counter.inc(op.value);
        else counter.inc(labels, op.value);
      });
      return counter;
    }
    case 'gauge': {
      const gauge = new Gauge<string>(spec.name, spec.help, options);
      spec.ops.forEach((op, i) => {
        const labels = callLabels(spec, op, i);
        if (labels === undefined) gauge.set(op.value);
        else gauge.set(labels, op.value);
      });
      return gauge;
    }
    case 'histogram': {
      const histogram = new Histogram<string>(spec.name, spec.help, {
        ...options,
        buckets: spec.buckets,
        ...(spec.native ? { native: true } : {}),
      });
      spec.ops.forEach((op, i) => {
        const labels = callLabels(spec, op, i);
        if (op.exemplar !== undefined) histogram.observeWithExemplar(labels, op.value, op.exemplar);
        else if (labels === undefined) histogram.observe(op.value);
        else histogram.observe(labels, op.value);
      });
      return histogram;
    }
    case 'summary': {
      const summary = new Summary<string>(spec.name, spec.help, options);
      spec.ops.forEach((op, i) => {
        const labels = callLabels(spec, op, i);
        if (labels === undefined) summary.observe(op.value);
        else summary.observe(labels, op.value);
      });
      return summary;
    }
    case 'info': {
      const info = new Info(spec.name, spec.help, { registry, constLabels: spec.constLabels });
      for (const labels of spec.infos) info.set(labels);
      return info;
    }
    case 'stateset': {
      const stateSet = new StateSet<string>(spec.name, spec.help, {
        ...options,
        states: spec.states,
      });
      spec.ops.forEach((op, i) => {
        stateSet.set(callLabels(spec, op, i), spec.states[op.value % spec.states.length]!);
      });
      return stateSet;
    }
  }
}

// --- what each format must show ------------------------------------------------------

/** `'created'`: a `_created` sample, whose value is a time and only checked for sanity. */
export interface ExpectedSample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number | 'created';
  readonly exemplar?: { readonly labels: Labels; readonly value: number };
}

export interface ExpectedFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string;
  readonly unit?: string;
  readonly samples: ExpectedSample[];
}

interface SeriesState {
  readonly labels: Labels;
  readonly ops: Op[];
}

/** Series that exist after the operations, in first-touch order, each with its operations. */
function seriesStates(spec: FamilySpec): SeriesState[] {
  const byKey = new Map<number, SeriesState>();
  const exposedAtOnce = spec.declared && spec.labelNames.length === 0;
  if (exposedAtOnce) byKey.set(0, { labels: { ...spec.constLabels }, ops: [] });
  for (const op of spec.ops) {
    const index = spec.labelNames.length === 0 ? 0 : op.series % spec.series.length;
    let state = byKey.get(index);
    if (state === undefined) {
      state = { labels: { ...spec.constLabels, ...seriesLabels(spec, index, false) }, ops: [] };
      byKey.set(index, state);
    }
    state.ops.push(op);
  }
  return [...byKey.values()];
}

function stripSuffix(name: string, suffix: string): string {
  return name.endsWith(suffix) && name.length > suffix.length
    ? name.slice(0, -suffix.length)
    : name;
}

function infoName(name: string): string {
  return name.endsWith('_info') ? name : `${name}_info`;
}

function lastExemplar(ops: readonly Op[]): ExpectedSample['exemplar'] {
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    if (op.exemplar !== undefined) return { labels: op.exemplar, value: op.value };
  }
  return undefined;
}

function bucketIndex(bounds: readonly number[], value: number): number {
  let i = 0;
  while (i < bounds.length && value > bounds[i]!) i++;
  return i;
}

/**
 * The families `format` must show for `spec`, sample names as that format spells them.
 * Protobuf is flattened like text (`_bucket{le}`, `_sum`, `_count`, `{quantile}`), with
 * a created timestamp as a `<name>_created` sample; OpenMetrics text has `_created`
 * samples only when `omCreated` (`openMetricsCreated: true`). Summary quantiles are the
 * summary's own estimates (the exposition must carry them unchanged).
 */
export function expectedFamily(
  spec: FamilySpec,
  metric: Recorded,
  format: FormatName,
  omCreated = false,
): ExpectedFamily {
  const om = format === 'openmetrics';
  const withExemplars = format !== 'text';
  const withCreated = format === 'protobuf' || (om && omCreated);
  const unit = format === 'text' ? {} : spec.unit === undefined ? {} : { unit: spec.unit };
  const samples: ExpectedSample[] = [];
  const states = seriesStates(spec);
  switch (spec.kind) {
    case 'counter': {
      const family = om ? stripSuffix(spec.name, '_total') : spec.name;
      const sampleName = om ? `${family}_total` : spec.name;
      for (const s of states) {
        let total = 0;
        for (const op of s.ops) total += op.value;
        const exemplar = withExemplars ? lastExemplar(s.ops) : undefined;
        samples.push({
          name: sampleName,
          labels: s.labels,
          value: total,
          ...(exemplar ? { exemplar } : {}),
        });
        if (withCreated)
          samples.push({ name: `${family}_created`, labels: s.labels, value: 'created' });
      }
      return { name: family, type: 'counter', help: spec.help, ...unit, samples };
    }
    case 'gauge':
      for (const s of states)
        samples.push({ name: spec.name, labels: s.labels, value: s.ops.at(-1)?.value ?? 0 });
      return { name: spec.name, type: 'gauge', help: spec.help, ...unit, samples };
    case 'histogram': {
      const bounds = spec.buckets;
      for (const s of states) {
        const counts = new Array<number>(bounds.length + 1).fill(0);
        const exemplars = new Array<ExpectedSample['exemplar']>(bounds.length + 1);
        let sum = 0;
        for (const op of s.ops) {
          const b = bucketIndex(bounds, op.value);
          counts[b]! += 1;
          if (op.exemplar !== undefined) exemplars[b] = { labels: op.exemplar, value: op.value };
          sum += op.value;
        }
        let cumulative = 0;
        for (let b = 0; b <= bounds.length; b++) {
          cumulative += counts[b]!;
          const le = b < bounds.length ? bounds[b]! : Number.POSITIVE_INFINITY;
          const exemplar = withExemplars ? exemplars[b] : undefined;
          samples.push({
            name: `${spec.name}_bucket`,
            labels: { ...s.labels, le: String(le) },
            value: cumulative,
            ...(exemplar ? { exemplar } : {}),
          });
        }
        samples.push({ name: `${spec.name}_sum`, labels: s.labels, value: sum });
        samples.push({ name: `${spec.name}_count`, labels: s.labels, value: s.ops.length });
        if (withCreated)
          samples.push({ name: `${spec.name}_created`, labels: s.labels, value: 'created' });
      }
      return { name: spec.name, type: 'histogram', help: spec.help, ...unit, samples };
    }
    case 'summary': {
      const summary = metric as Summary;
      for (const s of states) {
        let sum = 0;
        for (const op of s.ops) sum += op.value;
        const reading = summary.get(
          spec.labelNames.length === 0 ? undefined : withoutConst(spec, s.labels),
        );
        for (const q of reading?.quantiles ?? []) {
          samples.push({
            name: spec.name,
            labels: { ...s.labels, quantile: String(q.quantile) },
            value: q.value,
          });
        }
        samples.push({ name: `${spec.name}_sum`, labels: s.labels, value: sum });
        samples.push({ name: `${spec.name}_count`, labels: s.labels, value: s.ops.length });
        if (withCreated)
          samples.push({ name: `${spec.name}_created`, labels: s.labels, value: 'created' });
      }
      return { name: spec.name, type: 'summary', help: spec.help, ...unit, samples };
    }
    case 'info': {
      const last = spec.infos.at(-1);
      const family = om ? stripSuffix(spec.name, '_info') : infoName(spec.name);
      const sampleName = om ? `${family}_info` : family;
      if (last !== undefined)
        samples.push({ name: sampleName, labels: { ...spec.constLabels, ...last }, value: 1 });
      return { name: family, type: om ? 'info' : 'gauge', help: spec.help, samples };
    }
    case 'stateset': {
      for (const s of states) {
        const active = s.ops.at(-1);
        spec.states.forEach((state, i) => {
          const on = active !== undefined && active.value % spec.states.length === i;
          samples.push({
            name: spec.name,
            labels: { ...s.labels, [spec.name]: state },
            value: on ? 1 : 0,
          });
        });
      }
      return { name: spec.name, type: om ? 'stateset' : 'gauge', help: spec.help, samples };
    }
  }
}

/** The caller-side labels of a series (its full labels minus the const ones). */
function withoutConst(spec: FamilySpec, labels: Labels): Labels {
  const out: Labels = {};
  for (const name of spec.labelNames) out[name] = labels[name]!;
  return out;
}
