import { ESTABLISHED, MAX_ADDED_PCT, MAX_OF_ESTABLISHED, VARIANTS } from '../http/run.mjs';
import { ratioText, roundsVerdict } from './micro/rounds.mjs';
import { formatNs } from './micro/run.mjs';

/**
 * Turns measured rows into the markdown tables `pnpm bench` prints and writes to
 * bench/results.md.
 */

const COMPETITORS = ['prom-client', '@prometheus-io/client', '@platformatic/prom-client'];

const verdict = (ok) =>
  ok === undefined ? '—' : ok === 'median only' ? '**median only**' : ok ? 'yes' : '**no**';

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function microTable(rows, versions) {
  const body = rows
    .filter((row) => row.group !== 'compat')
    .map((row) => {
      const r = row.results;
      return [
        row.title,
        formatNs(r.promkit?.p50),
        ...COMPETITORS.map((c) => (r[c] === undefined ? '—' : formatNs(r[c].p50))),
        row.ratio === undefined ? '—' : `${ratioText(row.ratio, row.ratioRange)} (${row.better})`,
        row.target === undefined ? '—' : `≥ ${row.target}×`,
        verdict(roundsVerdict(row.ratio, row.ratioRange, row.target)),
        r.floor === undefined ? '—' : formatNs(r.floor.p50),
        ratioText(row.ofFloor, row.ofFloorRange),
        ratioText(row.ofText, row.ofTextRange),
      ];
    });
  return table(
    [
      'Case (median per op)',
      'promkit',
      `prom-client ${versions['prom-client']}`,
      `@prometheus-io/client ${versions['@prometheus-io/client']}`,
      `@platformatic/prom-client ${versions['@platformatic/prom-client']}`,
      'ratio vs best',
      'target',
      'met',
      'floor (joined lines)',
      'promkit / floor',
      "promkit / promkit's text",
    ],
    body,
  );
}

/** The prom-client-API cases: @promkit/prom-client against every implementation of that API. */
export function compatTable(rows, versions) {
  const libraries = [
    '@promkit/prom-client',
    'prom-client',
    '@prometheus-io/client',
    '@platformatic/prom-client',
  ];
  const body = rows
    .filter((row) => row.group === 'compat')
    .map((row) => [
      row.title,
      ...libraries.map((l) => (row.results[l] === undefined ? '—' : formatNs(row.results[l].p50))),
      row.ratio === undefined ? '—' : `${ratioText(row.ratio, row.ratioRange)} (${row.better})`,
      row.target === undefined ? '—' : `≥ ${row.target}×`,
      verdict(roundsVerdict(row.ratio, row.ratioRange, row.target)),
    ]);
  return table(
    [
      'Case (median per op)',
      '@promkit/prom-client',
      `prom-client ${versions['prom-client']}`,
      `@prometheus-io/client ${versions['@prometheus-io/client']}`,
      `@platformatic/prom-client ${versions['@platformatic/prom-client']}`,
      'ratio vs best',
      'target',
      'met',
    ],
    body,
  );
}

/**
 * Per-call latency of Summary.observe. "Flat p99" = no stall reaches the 99th percentile:
 * per-call p99 under 1 µs (a buffer flush or digest compression costs tens of µs). A
 * ratio to the median is printed too, but at a ~40 ns median it is mostly timer jitter.
 */
export function latencyTable(row) {
  const body = Object.entries(row.results)
    .filter(([, r]) => r.perCall !== undefined)
    .map(([library, r]) => [
      library,
      formatNs(r.perCall.p50),
      formatNs(r.perCall.p99),
      formatNs(r.perCall.p999),
      formatNs(r.perCall.max),
      `${(r.perCall.p99 / Math.max(r.perCall.p50, 1)).toFixed(1)}×`,
    ]);
  return table(
    ['Summary.observe, timed per call', 'p50', 'p99', 'p99.9', 'max', 'p99 / p50'],
    body,
  );
}

export const FLAT_P99_NS = 1_000;

export function flatP99(row) {
  const p = row.results.promkit?.perCall;
  return p === undefined ? undefined : p.p99 < FLAT_P99_NS;
}

/**
 * Bytes per series once made and after one scrape, with `@promkit/prom-client` beside
 * promkit and the competitors (no target: what a first scrape leaves behind).
 */
export function memoryScrapeTable(rows, versions) {
  const libraries = [
    'promkit',
    '@promkit/prom-client',
    'prom-client',
    '@prometheus-io/client',
    '@platformatic/prom-client',
  ];
  return table(
    [
      'Case (heap after GC): made → after one scrape',
      'promkit',
      '@promkit/prom-client',
      ...COMPETITORS.map((c) => `${c} ${versions[c]}`),
    ],
    rows.map((row) => [
      row.title,
      ...libraries.map((library) => {
        const r = row.results[library];
        return r === undefined
          ? '—'
          : `${r.bytesPerSeries.toFixed(0)} → ${r.scrapedBytesPerSeries.toFixed(0)} B [${Math.min(...r.scrapedRuns).toFixed(0)}–${Math.max(...r.scrapedRuns).toFixed(0)}]`;
      }),
    ]),
  );
}

export function memoryTable(rows, versions) {
  return table(
    [
      'Case (heap after GC)',
      'promkit',
      `prom-client ${versions['prom-client']}`,
      `@prometheus-io/client ${versions['@prometheus-io/client']}`,
      `@platformatic/prom-client ${versions['@platformatic/prom-client']}`,
      'promkit / best',
      'target',
      'met',
    ],
    rows.map((row) => {
      const r = row.results;
      const cell = (library) =>
        `${r[library].bytesPerSeries.toFixed(0)} B/series [${Math.min(...r[library].runs).toFixed(0)}–${Math.max(...r[library].runs).toFixed(0)}]`;
      return [
        row.title,
        cell('promkit'),
        ...COMPETITORS.map(cell),
        `${row.ratio.toFixed(2)}× (${row.better})`,
        row.maxBytes === undefined ? `≤ ${row.target}×` : `≤ ${row.target}×, ≤ ${row.maxBytes} B`,
        verdict(
          row.ratio <= row.target &&
            (row.maxBytes === undefined || r.promkit.bytesPerSeries <= row.maxBytes),
        ),
      ];
    }),
  );
}

export function httpTable(http) {
  const body = http.frameworks.map(({ framework, variants, skipped }) => {
    const cell = (v) => {
      const r = variants[v];
      if (r === undefined) return `skipped: ${skipped[v] ?? 'not run'}`;
      const overhead = r.overheadPct === undefined ? '' : ` (${sign(r.overheadPct)} %)`;
      return `${r.usPerRequest.toFixed(1)} µs [${r.min.toFixed(1)}–${r.max.toFixed(1)}]${overhead}, ${Math.round(r.rps)} req/s`;
    };
    const p = variants.promkit?.overheadPct;
    const e = variants.established?.overheadPct;
    return [
      framework,
      ...VARIANTS.map((v) =>
        v === 'established' ? `${ESTABLISHED[framework]}: ${cell(v)}` : cell(v),
      ),
      verdict(p === undefined || e === undefined ? undefined : p < e),
    ];
  });
  return table(
    [
      'Framework',
      'bare (CPU/req, req/s)',
      'promkit adapter',
      'established middleware',
      'promkit < established',
    ],
    body,
  );
}

function sign(pct) {
  return pct >= 0 ? `+${pct.toFixed(1)}` : pct.toFixed(1);
}

const kInstr = (n) => `${(n / 1000).toFixed(1)} k`;

/** Instructions per request: bare, promkit, established; added work against bare and each other. */
export function instructionsTable(instructions) {
  const cell = (r) => {
    if (r === undefined) return '—';
    // Every window, so the spread is visible: median (w1 / w2 / w3).
    const windows = `(${r.perRequest.map((x) => (x / 1000).toFixed(1)).join(' / ')})`;
    const added = r.added === undefined ? '' : `, +${kInstr(r.added)} (${sign(r.addedPct)} %)`;
    return `${kInstr(r.median)} ${windows}${added}`;
  };
  // The floor any middleware costs, when the run measured it (`--variants …,noop`).
  const noop = instructions.rows.some((row) => row.variants.noop !== undefined);
  const body = instructions.rows.map((row) => [
    row.framework,
    cell(row.variants.bare),
    ...(noop ? [cell(row.variants.noop)] : []),
    cell(row.variants.promkit),
    `${row.established}: ${cell(row.variants.established)}`,
    row.promkitOverEstablished === undefined ? '—' : row.promkitOverEstablished.toFixed(2),
  ]);
  return table(
    [
      'Framework (instr/req)',
      'bare',
      ...(noop ? ['no-op middleware'] : []),
      'promkit adapter',
      'established middleware',
      'promkit added / established added',
    ],
    body,
  );
}

/** Every target with its verdict, for the closing summary. */
export function targets({ micro, memory, http, instructions, stall = [] }) {
  const out = [];
  for (const row of micro ?? []) {
    if (row.target !== undefined && row.ratio !== undefined) {
      out.push([
        `${row.title}: ≥ ${row.target}×`,
        ratioText(row.ratio, row.ratioRange),
        roundsVerdict(row.ratio, row.ratioRange, row.target),
      ]);
    }
  }
  for (const row of micro ?? []) {
    if (row.maxOfFloor !== undefined && row.ofFloor !== undefined) {
      out.push([
        `${row.title}: promkit ≤ ${row.maxOfFloor}× the floor (joining the page's precomputed lines)`,
        ratioText(row.ofFloor, row.ofFloorRange),
        roundsVerdict(row.ofFloor, row.ofFloorRange, row.maxOfFloor, false),
      ]);
    }
    if (row.maxOfText !== undefined && row.ofText !== undefined) {
      out.push([
        `${row.title}: ≤ ${row.maxOfText}× promkit's text time for the same page`,
        ratioText(row.ofText, row.ofTextRange),
        roundsVerdict(row.ofText, row.ofTextRange, row.maxOfText, false),
      ]);
    }
  }
  const summary = micro?.find((r) => r.id === 'summary-observe-labels');
  if (summary?.results.promkit?.perCall !== undefined) {
    const p = summary.results.promkit.perCall;
    out.push([
      'Summary observe: flat p99 (per-call p99 < 1 µs, no stall at p99)',
      `p50 ${formatNs(p.p50)}, p99 ${formatNs(p.p99)}`,
      flatP99(summary),
    ]);
  }
  for (const row of memory ?? []) {
    out.push([
      `Memory per series (${row.shape}): ≤ ${row.target}× of the best`,
      `${row.ratio.toFixed(2)}×`,
      row.ratio <= row.target,
    ]);
    if (row.maxBytes === undefined) continue;
    out.push([
      `Memory per series (${row.shape}): ≤ ${row.maxBytes} B`,
      `${row.results.promkit.bytesPerSeries.toFixed(0)} B`,
      row.results.promkit.bytesPerSeries <= row.maxBytes,
    ]);
  }
  for (const row of instructions?.rows ?? []) {
    const p = row.variants.promkit;
    if (p?.addedPct === undefined) continue;
    out.push([
      `${row.framework} (instructions): adapter adds ≤ ${MAX_ADDED_PCT[row.framework]} % of bare`,
      `${sign(p.addedPct)} %`,
      p.addedPct <= MAX_ADDED_PCT[row.framework],
    ]);
    if (row.promkitOverEstablished !== undefined) {
      out.push([
        `${row.framework} (instructions): adapter adds ≤ ⅓ of what ${row.established} adds`,
        row.promkitOverEstablished.toFixed(2),
        row.promkitOverEstablished <= MAX_OF_ESTABLISHED,
      ]);
    }
  }
  for (const f of http?.frameworks ?? []) {
    const p = f.variants.promkit;
    const e = f.variants.established?.overheadPct;
    out.push(
      [
        `${f.framework} (CPU time): adapter adds ≤ ${MAX_ADDED_PCT[f.framework]} % of bare`,
        p === undefined ? 'adapter skipped' : `${sign(p.overheadPct)} %`,
        p === undefined ? undefined : p.overheadPct <= MAX_ADDED_PCT[f.framework],
      ],
      [
        `${f.framework} (CPU time): adapter adds ≤ ⅓ of what ${f.established} adds`,
        p?.ofEstablished === undefined
          ? `${p === undefined ? '—' : `${sign(p.overheadPct)} %`} vs ${e === undefined ? '—' : `${sign(e)} %`}`
          : `${p.ofEstablished.toFixed(2)} (${sign(p.overheadPct)} % vs ${sign(e)} %)`,
        p?.ofEstablished === undefined ? undefined : p.ofEstablished <= MAX_OF_ESTABLISHED,
      ],
    );
  }
  out.push(...stall);
  return table(
    ['Target', 'measured', 'met'],
    out.map(([t, m, ok]) => [t, m, verdict(ok)]),
  );
}
