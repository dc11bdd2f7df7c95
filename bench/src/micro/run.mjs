import { fileURLToPath } from 'node:url';
import { do_not_optimize, measure } from 'mitata';
import protobuf from 'protobufjs';
import { sampleCounts, shapeDifferences } from '../page-shape.mjs';
import { percentile } from '../stats.mjs';
import { CASES, expectedSamples, FLOOR } from './cases.mjs';
import { fullGc } from './full-gc.mjs';
import { measureInterleaved } from './interleave.mjs';

/**
 * Runs every micro case for every library in one process with mitata and returns one
 * row per case: median ns/op per library, the best (fastest) competitor and the ratio
 * (competitor / promkit, higher = promkit faster). In smoke mode each case runs a few
 * times and the metric pages are checked for the expected series instead.
 */

/** mitata's own default time per measurement (642 ms), with a real GC before it (`full-gc.mjs`). */
const FULL = { min_cpu_time: 642e6, gc: fullGc };
/** Hot cases: every library timed in this many interleaved slices (`interleave.mjs`). */
const HOT_SLICES = 5;
const SMOKE = {
  min_cpu_time: 1e6,
  min_samples: 2,
  max_samples: 4,
  batch_samples: 16,
  warmup_samples: 1,
  gc: fullGc,
};
/** Calls before measuring, so each case starts measured in optimised code. */
const WARMUP_CALLS = { hot: 50_000, scrape: 20 };
/** Calls timed one by one for the summary latency distribution. */
const PER_CALL_SAMPLES = 200_000;

async function loadLibraries() {
  return {
    promkit: await import('./promkit-cases.mjs'),
    'prom-client': await import('./prom-client-cases.mjs?lib=prom-client'),
    '@prometheus-io/client': await import('./prom-client-cases.mjs?lib=@prometheus-io/client'),
    '@promkit/prom-client': await import('./prom-client-cases.mjs?lib=@promkit/prom-client'),
    '@platformatic/prom-client': await import(
      './prom-client-cases.mjs?lib=@platformatic/prom-client'
    ),
    [FLOOR]: await import('./floor-cases.mjs'),
  };
}

export async function runMicro({ smoke, log, filter }) {
  const libraries = await loadLibraries();
  const rows = [];
  const failures = [];
  for (const c of CASES) {
    if (filter !== undefined && !filter.test(c.id)) continue;
    const results = {};
    const pages = {};
    const kind = c.group === 'compat' ? (c.id.includes('scrape') ? 'scrape' : 'hot') : c.group;
    if (kind === 'hot' && !smoke) {
      Object.assign(results, await measureHot(libraries, c));
      rows.push(finishRow(c, results, rows));
      log(describe(rows.at(-1)));
      continue;
    }
    for (const library of c.libraries) {
      const subject = setupSubject(libraries, library, c);
      const warmup = smoke ? (kind === 'hot' ? 200 : 1) : WARMUP_CALLS[kind];
      for (let i = 0; i < warmup; i++) do_not_optimize(await subject.run());
      const stats = await measure(subject.run, smoke ? SMOKE : FULL);
      results[library] = { p50: stats.p50, p99: stats.p99, samples: stats.samples.length };
      if (smoke) {
        try {
          pages[library] = await subject.page();
          if (library === FLOOR && pages[library] !== pages.promkit) {
            failures.push(`${c.id} [${FLOOR}]: the joined lines are not promkit's page`);
          }
          failures.push(...(await checkCase(c, library, subject)));
        } catch (error) {
          failures.push(`${c.id} [${library}]: ${error instanceof Error ? error.message : error}`);
        }
      }
    }
    rows.push(finishRow(c, results, rows));
    log(describe(rows.at(-1)));
  }
  return { rows, failures };
}

/** A hot case: every library set up and warmed, then timed in interleaved slices. */
async function measureHot(libraries, c) {
  const subjects = [];
  for (const library of c.libraries) {
    const subject = setupSubject(libraries, library, c);
    for (let i = 0; i < WARMUP_CALLS.hot; i++) do_not_optimize(subject.run());
    subjects.push([library, subject.run]);
  }
  const results = await measureInterleaved(subjects, { slices: HOT_SLICES, options: FULL });
  if (c.id === 'summary-observe-labels') {
    for (const [library, run] of subjects) results[library].perCall = perCallLatency(run);
  }
  return results;
}

function setupSubject(libraries, library, c) {
  const subject = libraries[library].setup(c.setupId ?? c.id);
  if (subject === undefined) throw new Error(`${library} has no setup for case ${c.id}`);
  return subject;
}

/** The case's row: results, best competitor and ratio, and promkit over its floor and text. */
function finishRow(c, results, rows) {
  const row = { ...c, results, ...compare(results, c.reference), ...ofFloor(results) };
  if (c.maxOfText !== undefined) {
    const text = rows.find((r) => r.base === c.base && r.format === 'text');
    const mine = results.promkit?.p50;
    const textP50 = text?.results.promkit?.p50;
    if (mine !== undefined && textP50 !== undefined) row.ofText = mine / textP50;
  }
  return row;
}

/** promkit's time over the floor's (joining the page's precomputed lines), when measured. */
function ofFloor(results) {
  const mine = results.promkit?.p50;
  const floor = results[FLOOR]?.p50;
  return mine === undefined || floor === undefined ? {} : { ofFloor: mine / floor };
}

/** The best (fastest) competitor and ratio = competitor median / reference (promkit) median. */
function compare(results, reference = 'promkit') {
  const mine = results[reference];
  let better;
  for (const [library, r] of Object.entries(results)) {
    if (library === reference || library === FLOOR) continue;
    if (better === undefined || r.p50 < results[better].p50) better = library;
  }
  return better === undefined || mine === undefined
    ? { better: undefined, ratio: undefined }
    : { better, ratio: results[better].p50 / mine.p50 };
}

function describe(row) {
  const parts = Object.entries(row.results).map(([l, r]) => `${l} ${formatNs(r.p50)}`);
  const ratio = row.ratio === undefined ? '' : ` → ${row.ratio.toFixed(2)}× vs ${row.better}`;
  const floor = row.ofFloor === undefined ? '' : `, promkit/floor ${row.ofFloor.toFixed(2)}`;
  const text = row.ofText === undefined ? '' : ` → ${row.ofText.toFixed(2)}× promkit's text`;
  return `  ${row.title}: ${parts.join(', ')}${ratio}${floor}${text}`;
}

export function formatNs(ns) {
  if (!Number.isFinite(ns)) return '—';
  if (ns < 1e3) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${(ns / 1e6).toFixed(2)} ms`;
}

/**
 * Times calls one by one (performance.now around each) and returns the distribution
 * net of the timer's own median cost: what a caller sees as occasional stalls.
 */
function perCallLatency(run) {
  const now = performance.now.bind(performance);
  const empty = new Float64Array(PER_CALL_SAMPLES);
  for (let i = 0; i < PER_CALL_SAMPLES; i++) {
    const t0 = now();
    empty[i] = now() - t0;
  }
  const times = new Float64Array(PER_CALL_SAMPLES);
  for (let i = 0; i < PER_CALL_SAMPLES; i++) {
    const t0 = now();
    run();
    times[i] = now() - t0;
  }
  empty.sort();
  times.sort();
  const overhead = percentile(empty, 0.5);
  const net = (q) => Math.max(0, percentile(times, q) - overhead) * 1e6;
  return { p50: net(0.5), p99: net(0.99), p999: net(0.999), max: net(1) };
}

/** Smoke check: the library's page (and promkit's OpenMetrics/protobuf body) has the expected series. */
async function checkCase(c, library, subject) {
  const problems = [];
  const expected = expectedSamples(c.families, library);
  const page = await subject.page();
  for (const p of shapeDifferences(expected, sampleCounts(page))) problems.push(p);
  if (library === 'promkit' && c.format !== undefined && c.format !== 'text') {
    const rendered = await subject.run();
    if (rendered.format !== c.format) {
      problems.push(`rendered ${rendered.format}, expected ${c.format}`);
    } else if (c.format === 'openmetrics') {
      if (!rendered.body.endsWith('# EOF\n'))
        problems.push('OpenMetrics page does not end with # EOF');
      // OpenMetrics adds `_created` lines; every expected sample must still be there.
      const found = sampleCounts(rendered.body);
      for (const p of shapeDifferences(expected, found, { allowExtra: true })) {
        problems.push(`OpenMetrics ${p}`);
      }
    } else if (c.format === 'protobuf') {
      problems.push(...checkProtobuf(c, rendered.body));
    }
  }
  return problems.map((p) => `${c.id} [${library}]: ${p}`);
}

function checkProtobuf(c, body) {
  if (!(body instanceof Uint8Array) || body.length === 0) return ['protobuf body is empty'];
  const problems = [];
  const families = seriesPerFamily(body);
  for (const [name, , series] of c.families) {
    const got = families.get(name) ?? families.get(name.replace(/_total$/, ''));
    if (got !== series)
      problems.push(`protobuf family ${name}: expected ${series} series, found ${got}`);
  }
  return problems;
}

let familyType;

/** Family name → series count of a delimited protobuf page, read with core's metrics.proto. */
function seriesPerFamily(body) {
  familyType ??= protobuf
    .loadSync(fileURLToPath(new URL('../../../packages/core/proto/metrics.proto', import.meta.url)))
    .lookupType('io.prometheus.client.MetricFamily');
  const reader = protobuf.Reader.create(body);
  const families = new Map();
  while (reader.pos < reader.len) {
    const family = familyType.decode(reader, reader.uint32());
    families.set(family.name, family.metric.length);
  }
  return families;
}
