// Property tests of the whole exposition path: families recorded through the metric
// classes with arbitrary names, label values, help texts and sample values are written
// in all three formats, and every page must parse and decode back to what was recorded.
//
// Lone surrogates (stored as U+FFFD) and state-set names that are not label names
// (rejected) are covered by test/well-formed.test.ts and test/info-stateset.test.ts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type DecodedMetricFamily,
  decodeProtobuf,
  type PrometheusHandle,
  promtoolCheck,
  sampleValue,
  startPrometheus,
} from '@promkit/testkit';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ExpositionFormat,
  encode,
  OPENMETRICS_FORMAT,
  PROTOBUF_FORMAT,
  Registry,
  TEXT_FORMAT,
} from '../src/index';
import {
  type ExpectedFamily,
  expectedFamily,
  type FamilySpec,
  type FormatName,
  familyBatch,
  type Recorded,
  record,
  SPECIAL_VALUES,
  withoutNameClashes,
} from './helpers/fuzz-families';
import { canonicalLabels, type ParsedFamily, parseExpositionBytes } from './helpers/parse-text';

type Labels = Record<string, string>;

interface ActualSample {
  readonly name: string;
  readonly labels: Labels;
  readonly value: number;
  readonly exemplar?: { readonly labels: Labels; readonly value: number };
}

interface ActualFamily {
  readonly name: string;
  readonly type: string;
  readonly help: string | undefined;
  readonly unit: string | undefined;
  readonly samples: ActualSample[];
}

/** `le` and `quantile` compared as numbers: `1.0`, `1` and `+Inf`/`Infinity` alike. */
function numericLabel(text: string): string {
  if (text === '+Inf') return 'Infinity';
  if (text === '-Inf') return '-Infinity';
  return String(Number(text));
}

function normalizeLabels(
  familyName: string,
  type: string,
  sample: ActualSample | ExpectedFamily['samples'][number],
): Labels {
  const labels = { ...sample.labels };
  if (type === 'histogram' && sample.name === `${familyName}_bucket` && labels.le !== undefined) {
    labels.le = numericLabel(labels.le);
  }
  if (type === 'summary' && sample.name === familyName && labels.quantile !== undefined) {
    labels.quantile = numericLabel(labels.quantile);
  }
  return labels;
}

function sampleKey(name: string, labels: Labels): string {
  return `${name} ${canonicalLabels(labels)}`;
}

/** Equal as exposed numbers: NaN equals NaN; the sign of zero is not part of the contract. */
function sameNumber(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function fromText(families: ParsedFamily[]): ActualFamily[] {
  return families.map((f) => ({
    name: f.name,
    type: f.type,
    help: f.help,
    unit: f.unit,
    samples: f.samples.map((s) => ({
      name: s.name,
      labels: s.labels,
      value: s.value,
      ...(s.exemplar === undefined
        ? {}
        : { exemplar: { labels: s.exemplar.labels, value: s.exemplar.value } }),
    })),
  }));
}

/** Decoded protobuf families flattened to text-style samples. */
function fromProtobuf(families: DecodedMetricFamily[]): ActualFamily[] {
  return families.map((f) => {
    const samples: ActualSample[] = [];
    for (const m of f.metrics) {
      if (m.histogram !== undefined) {
        for (const b of m.histogram.buckets) {
          samples.push({
            name: `${f.name}_bucket`,
            labels: { ...m.labels, le: String(b.upperBound) },
            value: b.cumulativeCount,
            ...(b.exemplar === undefined
              ? {}
              : { exemplar: { labels: b.exemplar.labels, value: b.exemplar.value } }),
          });
        }
        samples.push({ name: `${f.name}_sum`, labels: m.labels, value: m.histogram.sum });
        samples.push({ name: `${f.name}_count`, labels: m.labels, value: m.histogram.count });
      } else if (m.summary !== undefined) {
        for (const q of m.summary.quantiles) {
          samples.push({
            name: f.name,
            labels: { ...m.labels, quantile: String(q.quantile) },
            value: q.value,
          });
        }
        samples.push({ name: `${f.name}_sum`, labels: m.labels, value: m.summary.sum });
        samples.push({ name: `${f.name}_count`, labels: m.labels, value: m.summary.count });
      } else {
        samples.push({
          name: f.name,
          labels: m.labels,
          value: m.value ?? Number.NaN,
          ...(m.exemplar === undefined
            ? {}
            : { exemplar: { labels: m.exemplar.labels, value: m.exemplar.value } }),
        });
      }
      if (m.createdTimestamp !== undefined) {
        samples.push({ name: `${f.name}_created`, labels: m.labels, value: m.createdTimestamp });
      }
    }
    return { name: f.name, type: f.type, help: f.help, unit: f.unit, samples };
  });
}

/** Asserts that `actual` shows exactly the families, series, values and exemplars expected. */
function expectSameFamilies(
  actual: ActualFamily[],
  expected: ExpectedFamily[],
  format: string,
): void {
  expect(
    actual.map((f) => [f.name, f.type, f.help, f.unit]),
    `${format} families`,
  ).toEqual(expected.map((f) => [f.name, f.type, f.help, f.unit]));
  actual.forEach((family, i) => {
    const want = expected[i]!;
    const got = new Map<string, ActualSample>();
    for (const s of family.samples)
      got.set(sampleKey(s.name, normalizeLabels(family.name, family.type, s)), s);
    const wanted = new Map(
      want.samples.map(
        (s) => [sampleKey(s.name, normalizeLabels(want.name, want.type, s)), s] as const,
      ),
    );
    expect([...got.keys()].sort(), `${format} samples of "${family.name}"`).toEqual(
      [...wanted.keys()].sort(),
    );
    for (const [key, w] of wanted) {
      const g = got.get(key)!;
      if (w.value === 'created') {
        expect(
          Number.isFinite(g.value) && g.value > 1e9,
          `${format} ${key} is a creation time`,
        ).toBe(true);
      } else if (!sameNumber(g.value, w.value)) {
        expect.fail(`${format} ${key}: got ${g.value}, recorded ${w.value}`);
      }
      expect(g.exemplar?.labels, `${format} exemplar of ${key}`).toEqual(w.exemplar?.labels);
      if (w.exemplar !== undefined && !sameNumber(g.exemplar!.value, w.exemplar.value)) {
        expect.fail(
          `${format} exemplar of ${key}: got ${g.exemplar!.value}, recorded ${w.exemplar.value}`,
        );
      }
    }
  });
}

/** Native buckets go only to protobuf: they must arrive exactly as the histogram holds them. */
function expectSameNativeBuckets(decoded: DecodedMetricFamily[], metrics: Recorded[]): void {
  for (const metric of metrics) {
    if (metric.type !== 'histogram') continue;
    const family = decoded.find((f) => f.name === metric.name);
    for (const point of metric.collect().points) {
      const native = point.value.native;
      if (native === undefined) continue;
      const m = family?.metrics.find(
        (x) => canonicalLabels(x.labels) === canonicalLabels(point.labels),
      );
      expect(m?.histogram?.native, `native buckets of ${metric.name}`).toEqual({
        schema: native.schema,
        zeroThreshold: native.zeroThreshold,
        zeroCount: native.zeroCount,
        positiveSpans: native.positiveSpans,
        positiveDeltas: native.positiveDeltas,
        negativeSpans: native.negativeSpans,
        negativeDeltas: native.negativeDeltas,
      });
    }
  }
}

interface RecordedBatch {
  readonly registry: Registry;
  readonly specs: readonly FamilySpec[];
  readonly metrics: Recorded[];
}

function recordBatch(specs: readonly FamilySpec[]): RecordedBatch {
  const registry = new Registry();
  return { registry, specs, metrics: specs.map((spec) => record(spec, registry)) };
}

function expectedFor(
  batch: RecordedBatch,
  format: FormatName,
  omCreated = false,
): ExpectedFamily[] {
  const families = batch.specs.map((spec, i) =>
    expectedFamily(spec, batch.metrics[i]!, format, omCreated),
  );
  // Protobuf leaves out families without points, as client_golang does.
  return format === 'protobuf' ? families.filter((f) => f.samples.length > 0) : families;
}

const utf8 = new TextEncoder();

/** Collects once and checks all three formats; returns the text page for promtool. */
async function checkAllFormats(batch: RecordedBatch): Promise<string> {
  const families = await batch.registry.collect();
  const text = encode(families, 'text') as string;
  const om = encode(families, 'openmetrics') as string;
  const omCreated = encode(families, 'openmetrics', { openMetricsCreated: true }) as string;
  const pb = encode(families, 'protobuf') as Uint8Array;
  expectSameFamilies(
    fromText(parseExpositionBytes(utf8.encode(text), 'text')),
    expectedFor(batch, 'text'),
    'text',
  );
  expectSameFamilies(
    fromText(parseExpositionBytes(utf8.encode(om), 'openmetrics')),
    expectedFor(batch, 'openmetrics'),
    'openmetrics',
  );
  expectSameFamilies(
    fromText(parseExpositionBytes(utf8.encode(omCreated), 'openmetrics')),
    expectedFor(batch, 'openmetrics', true),
    'openmetrics with _created',
  );
  const decoded = decodeProtobuf(pb);
  expectSameFamilies(fromProtobuf(decoded), expectedFor(batch, 'protobuf'), 'protobuf');
  expectSameNativeBuckets(decoded, batch.metrics);
  return text;
}

// A failure this property found (shrunk): a label value of 13+ characters starting with
// U+FEFF lost it when stored (a UTF-8 decoder drops a leading byte order mark by default).
const LEADING_BOM_FAMILY = {
  kind: 'gauge',
  name: '_Lg:U_e7',
  help: '=\uFEFF',
  unit: 'e7',
  declared: true,
  labelNames: ['p', 'KF_N'],
  constLabels: { _GK_kC1T5: '' },
  series: [['', '\uFEFF"\u{1F600}"\u{1F600}"""\u{1F600}"']],
  ops: [{ series: 0, value: 0 }],
  buckets: [-8.754968712733203e-54, 1.1185409574185693e268],
  native: true,
  states: [' ', ''],
  infos: [],
};

describe('exposition of arbitrary families recorded through the metric classes', () => {
  it('parses in every format and decodes back to the recorded names, labels and values; promtool accepts the text', async () => {
    let families = 0;
    await fc.assert(
      fc.asyncProperty(familyBatch(1, 10), async (specs) => {
        const text = await checkAllFormats(recordBatch(specs));
        // Exit 3 is lint findings only (arbitrary names are not snake_case, counters lack
        // _total, …): the page parsed. Exit 1 is a parse error.
        const { code, output } = await promtoolCheck(text);
        expect(code === 0 || code === 3, `promtool exit ${code}: ${output.slice(0, 2000)}`).toBe(
          true,
        );
        expect(output).not.toMatch(/parsing error|error while linting/);
        families += specs.length;
      }),
      { numRuns: 120, examples: [[[LEADING_BOM_FAMILY as FamilySpec]]] },
    );
    expect(families).toBeGreaterThanOrEqual(120);
    // ~20 s when it passes; shrinking a failure re-runs promtool many times.
  }, 180_000);
});

// --- a sample through a real Prometheus ------------------------------------------------

/** Label names Prometheus itself sets or renames on scrape; not ours to test here. */
const PROMETHEUS_OWNED = /^(job|instance|exported_.*)$/;
const SYNTHETIC = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
]);

function fitsPrometheusSample(spec: FamilySpec, metric: Recorded): boolean {
  if (SYNTHETIC.has(spec.name)) return false;
  const families = (['text', 'openmetrics', 'protobuf'] as const).map((f) =>
    expectedFamily(spec, metric, f),
  );
  return families.every((family) =>
    family.samples.every(
      (s) =>
        !SYNTHETIC.has(s.name) && Object.keys(s.labels).every((n) => !PROMETHEUS_OWNED.test(n)),
    ),
  );
}

/** Every special value once, so each sample carries them whatever the generator drew. */
const EDGE_VALUES: FamilySpec = {
  kind: 'gauge',
  name: 'fuzz_edge_values',
  help: 'Special values: "quotes", \\backslashes\\ and\nnewlines.',
  unit: undefined,
  declared: true,
  labelNames: ['v'],
  constLabels: {},
  series: SPECIAL_VALUES.map((value, i) => [`${i} ${value} "\\\n`]),
  ops: SPECIAL_VALUES.map((value, i) => ({ series: i, value })),
  buckets: [],
  native: false,
  states: [],
  infos: [],
};

const seed = Number(process.env.PROMKIT_FUZZ_SEED ?? Date.now() % 2 ** 31);
const FORMATS: readonly ExpositionFormat[] = [TEXT_FORMAT, OPENMETRICS_FORMAT, PROTOBUF_FORMAT];
const SAMPLE_FAMILIES = 20;

describe(`a sample of ${SAMPLE_FAMILIES} generated families (and every special value) through a real Prometheus scrape (seed ${seed})`, () => {
  let batch: RecordedBatch;
  const servers: Server[] = [];
  const instances = new Map<string, ExpositionFormat>();
  let prometheus: PrometheusHandle;

  beforeAll(async () => {
    // Native buckets are left out: Prometheus would store those histograms as native only.
    const [candidates] = fc.sample(familyBatch(40, 40), { numRuns: 1, seed });
    const classic = candidates!.map((spec) => ({ ...spec, native: false }));
    const probe = recordBatch(classic);
    const fitting = classic.filter((spec, i) => fitsPrometheusSample(spec, probe.metrics[i]!));
    batch = recordBatch(
      withoutNameClashes([EDGE_VALUES, ...fitting]).slice(0, SAMPLE_FAMILIES + 1),
    );
    const families = await batch.registry.collect();
    // One target per format, each answering in its format whatever Prometheus asks for:
    // Prometheus picks its parser from the Content-Type.
    for (const format of FORMATS) {
      const body = encode(families, format.name);
      const server = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': format.contentType }).end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      instances.set(`127.0.0.1:${(server.address() as AddressInfo).port}`, format);
    }
    prometheus = await startPrometheus({ targets: [...instances.keys()], nativeHistograms: true });
    await prometheus.waitFor('up{job="promkit"} == 1', (r) => r.length === FORMATS.length);
  });

  afterAll(async () => {
    await prometheus?.stop();
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  });

  it('is scraped without error from every format', async () => {
    expect(batch.specs.length).toBe(SAMPLE_FAMILIES + 1);
    const targets = await prometheus.targets();
    expect(targets.map((t) => [t.health, t.lastError])).toEqual(FORMATS.map(() => ['up', '']));
  });

  for (const format of FORMATS) {
    it(`reads back every recorded series and value from the ${format.name} target`, async () => {
      const instance = [...instances].find(([, f]) => f === format)![0];
      const expected = expectedFor(batch, format.name);
      const wanted = new Map<string, number>();
      const created = new Set<string>();
      const familyOf = new Map<string, ExpectedFamily>();
      for (const family of expected) {
        for (const s of family.samples) {
          familyOf.set(s.name, family);
          // Prometheus drops empty label values: an empty label is an absent label.
          const labels = Object.fromEntries(
            Object.entries(normalizeLabels(family.name, family.type, s)).filter(
              ([, v]) => v !== '',
            ),
          );
          if (s.value === 'created') created.add(s.name);
          else wanted.set(sampleKey(s.name, labels), s.value);
        }
      }
      const result = await prometheus.waitFor(
        `{job="promkit",instance="${instance}"}`,
        (r) => r.filter((s) => !SYNTHETIC.has(s.metric.__name__!)).length >= wanted.size,
      );
      const got = new Map<string, number>();
      for (const s of result) {
        const { __name__: name, job: _job, instance: _instance, ...labels } = s.metric;
        if (SYNTHETIC.has(name!) || created.has(name!)) continue;
        const family = familyOf.get(name!);
        const normalized =
          family === undefined
            ? labels
            : normalizeLabels(family.name, family.type, { name: name!, labels, value: 0 });
        got.set(sampleKey(name!, normalized), sampleValue(s));
      }
      expect([...got.keys()].sort()).toEqual([...wanted.keys()].sort());
      for (const [key, value] of wanted) {
        if (!sameNumber(got.get(key)!, value))
          expect.fail(`${format.name} ${key}: Prometheus has ${got.get(key)}, recorded ${value}`);
      }
    });
  }
});
