import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnSamples } from '../src/exposition/column-samples';
import { formatValue, labelText } from '../src/exposition/escape';
import { encode } from '../src/exposition/render';
import { encodeSlices, SLICE_END } from '../src/exposition/slices';
import { Counter } from '../src/metrics/counter';
import { Gauge } from '../src/metrics/gauge';
import type { Labels } from '../src/model';
import { Registry } from '../src/registry';
import { AnySeriesTable, DeclaredSeriesTable, LabelSchema } from '../src/series';
import type { ValueColumns } from '../src/snapshot';

/**
 * Text lines of counters and gauges are built from interned label pieces (a compiled
 * writer per label count, or a loop where code cannot be compiled), with one piece per
 * repeated value per slice. Each must give the lines the label text gives, byte for byte.
 */

/** Values that need escaping, are not ASCII, are empty or long. */
const AWKWARD = [
  '',
  'back\\slash',
  'quote"d',
  'line\nbreak',
  'all \\ " \n three',
  'café',
  'ünïcödé 😀',
  '日本語',
  '"',
  '\\',
  '\n',
  'x'.repeat(40),
];

const NUMBERS = [
  0,
  -0,
  1,
  7,
  42,
  0.1,
  -3.25,
  1.5e-7,
  5e-324,
  1e21,
  1.7976931348623157e308,
  2 ** 53 + 2,
  123456789.123,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
];

const NAMES = ['path', 'code', 'method'];

/** The lines of `series` as the format defines them, from the label objects themselves. */
function expectedLines(
  name: string,
  constLabels: Labels,
  series: ReadonlyArray<{ labels: Labels; value: number }>,
): string {
  let out = '';
  for (const { labels, value } of series) {
    out += `${name}{${labelText({ ...constLabels, ...labels })}} ${formatValue(value)}\n`;
  }
  return out;
}

/** Writes `columns` in slices of `slice` lines, as a scrape does. */
function sliced(name: string, columns: ValueColumns, slice: number): string {
  let out = '';
  for (let from = 0; from < columns.indices.length; from += slice) {
    out += columnSamples(
      name,
      columns,
      from,
      Math.min(from + slice, columns.indices.length),
      false,
    );
  }
  return out;
}

describe('text lines from interned label pieces', () => {
  it('compiled, loop and label-text paths give the lines the labels define (property)', () => {
    // Few distinct values (a piece per value per slice) mixed with values unique to a series.
    const few = fc.constantFrom(...AWKWARD, '200', '404', 'GET');
    const value = fc.oneof(
      { arbitrary: few, weight: 6 },
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }), weight: 1 },
      { arbitrary: fc.nat({ max: 5000 }).map((n) => `/api/v1/items/${n}`), weight: 2 },
    );
    const op = fc.record({
      remove: fc.boolean(),
      values: fc.tuple(value, few, value),
      number: fc.oneof(fc.constantFrom(...NUMBERS), fc.double()),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        fc.array(op, { minLength: 50, maxLength: 400, size: 'max' }),
        fc.array(op, { maxLength: 100, size: 'max' }),
        fc.integer({ min: 1, max: 600 }),
        (width, withConst, ops, later, slice) => {
          const names = NAMES.slice(0, width);
          const constLabels: Labels = withConst ? { app: 'shop "x"', zone: 'eu\\1' } : {};
          const schema = new LabelSchema('m', names, constLabels, []);
          const tables = [
            new DeclaredSeriesTable(schema, { compiled: true }),
            new DeclaredSeriesTable(schema, { compiled: false }),
          ];
          const live = new Map<string, { labels: Labels; value: number }>();
          const values = new Float64Array(1024);
          const apply = (list: typeof ops) => {
            for (const { remove, values: vs, number } of list) {
              const labels: Labels = Object.fromEntries(names.map((n, i) => [n, vs[i]!]));
              const key = JSON.stringify(labels);
              if (remove) {
                for (const t of tables) t.remove(labels);
                live.delete(key);
                continue;
              }
              const indices = tables.map((t) => {
                const found = t.find(labels);
                return found === -1 ? t.insert(labels) : found;
              });
              expect(indices[1]).toBe(indices[0]);
              const index = indices[0]!;
              values[index] = number;
              live.set(key, { labels, value: number });
            }
          };
          const check = () => {
            const byIndex = new Map<number, { labels: Labels; value: number }>();
            for (const entry of live.values()) byIndex.set(tables[0]!.find(entry.labels), entry);
            const order = [...byIndex.keys()].sort((a, b) => a - b);
            const expected = expectedLines(
              'm',
              constLabels,
              order.map((i) => byIndex.get(i)!),
            );
            for (const table of tables) {
              const view = table.view();
              expect(view.interned).toBeDefined();
              const columns = { indices: view.indices, values, created: undefined, series: view };
              expect(sliced('m', columns, slice)).toBe(expected);
              // The general path: label text per series.
              const general = { ...columns, series: { ...view, interned: undefined } };
              expect(sliced('m', general, slice)).toBe(expected);
            }
            expect(tables[0]!.view().interned!.lineWriter).toBeDefined();
            expect(tables[1]!.view().interned!.lineWriter).toBeUndefined();
          };
          apply(ops);
          check();
          // Series added and removed between two scrapes.
          apply(later);
          check();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('without declared names: the scrape text of each series is labelText of its labels (property)', () => {
    const value = fc.oneof(
      fc.constantFrom(...AWKWARD, '200', 'GET'),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
    const labelSet = fc.dictionary(fc.constantFrom('b', 'a', 'zz', 'x_1'), value, {
      maxKeys: 4,
    });
    fc.assert(
      fc.property(fc.boolean(), fc.array(labelSet, { maxLength: 60 }), (withConst, sets) => {
        const constLabels: Labels = withConst ? { app: 'shop "x"' } : {};
        const table = new AnySeriesTable(new LabelSchema('m', undefined, constLabels, []));
        for (const labels of sets) if (table.find(labels) === -1) table.insert(labels);
        const view = table.view();
        for (const index of view.indices) {
          expect(view.labelTextOf(index)).toBe(labelText(view.labelsOf(index)));
        }
        const values = new Float64Array(Math.max(1, ...view.indices.map((i) => i + 1)));
        const columns = { indices: view.indices, values, created: undefined, series: view };
        const expected = [...view.indices]
          .map((i) => labelText(view.labelsOf(i)))
          .map((text) => (text === '' ? 'm 0\n' : `m{${text}} 0\n`))
          .join('');
        expect(sliced('m', columns, 7)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('a view keeps its lines while series are added and removed after it', () => {
    const schema = new LabelSchema('m', ['path', 'code'], {}, []);
    const table = new DeclaredSeriesTable(schema);
    const values = new Float64Array(64);
    for (let k = 0; k < 40; k++) {
      values[table.insert({ path: `/p/${k}`, code: AWKWARD[k % 4]! })] = k;
    }
    const view = table.view();
    const columns = {
      indices: view.indices,
      values: values.slice(),
      created: undefined,
      series: view,
    };
    const before = sliced('m', columns, 256);
    table.remove({ path: '/p/3', code: AWKWARD[3]! });
    table.insert({ path: 'new', code: 'é' });
    expect(sliced('m', columns, 256)).toBe(before);
    expect(before).toContain('m{path="/p/3",code="line\\nbreak"} 3\n');
  });

  it("a family's slices share their pieces, also with other families' slices in between", () => {
    // Two families of one table's view (as two formats' concurrent renders of one snapshot
    // are) and a family of another table, written slice by slice in turns: each keeps the
    // lines its labels define, whichever wrote the slice before.
    const schema = new LabelSchema('m', ['method', 'path', 'code'], { app: 'a"b' }, []);
    const table = new DeclaredSeriesTable(schema);
    const other = new DeclaredSeriesTable(new LabelSchema('o', ['code', 'n'], {}, []));
    const values = new Float64Array(2048);
    const series: Array<{ labels: Labels; value: number }> = [];
    for (let k = 0; k < 1000; k++) {
      const labels = { method: AWKWARD[k % 5]!, path: `/p/${k}`, code: `${200 + (k % 4)}` };
      values[table.insert(labels)] = k;
      series.push({ labels, value: k });
    }
    const otherValues = new Float64Array(64);
    const otherSeries: Array<{ labels: Labels; value: number }> = [];
    for (let k = 0; k < 40; k++) {
      const labels = { code: AWKWARD[k % 3]!, n: `${k}` };
      otherValues[other.insert(labels)] = k;
      otherSeries.push({ labels, value: k });
    }
    const view = table.view();
    const columns = { indices: view.indices, values, created: undefined, series: view };
    const otherView = other.view();
    const otherColumns = {
      indices: otherView.indices,
      values: otherValues,
      created: undefined,
      series: otherView,
    };
    const writers = [
      { name: 'first_total', q: false, columns, out: '' },
      { name: 'second', q: false, columns, out: '' },
      // The same name quoted (a UTF-8 name's spelling): another opening.
      { name: 'second', q: true, columns, out: '' },
      { name: 'o', q: false, columns: otherColumns, out: '' },
    ];
    for (let from = 0; from < 1000; from += 64) {
      for (const w of writers) {
        const end = w.columns.indices.length;
        if (from < end)
          w.out += columnSamples(w.name, w.columns, from, Math.min(from + 64, end), w.q);
      }
    }
    expect(writers[0]!.out).toBe(expectedLines('first_total', { app: 'a"b' }, series));
    expect(writers[1]!.out).toBe(expectedLines('second', { app: 'a"b' }, series));
    expect(writers[2]!.out).toBe(
      expectedLines('second', { app: 'a"b' }, series).replaceAll('second{', '{"second",'),
    );
    expect(writers[3]!.out).toBe(expectedLines('o', {}, otherSeries));
    expect(writers[3]!.out).toContain('o{code="back\\\\slash",n="1"} 1\n');
  });

  it('a full scrape (default slices, repeated values in every slice) gives the bytes points give', async () => {
    const registry = new Registry();
    const counter = new Counter('req_total', 'Requests.', {
      labelNames: ['method', 'path', 'code'] as const,
      constLabels: { app: 'shop' },
      registry,
      maxSeries: 20_000,
    });
    const gauge = new Gauge('queue', 'Queues.', {
      labelNames: ['name'] as const,
      registry,
    });
    const methods = ['GET', 'POST', 'qu"ote', 'back\\slash', 'nl\nx', 'ünï'];
    const codes = ['200', '404', '500', 'café'];
    for (let k = 0; k < 3000; k++) {
      counter.inc(
        { method: methods[k % methods.length]!, path: `/items/${k}`, code: codes[k % 4]! },
        k % 17 === 0 ? 0.5 : k + 1,
      );
    }
    for (let k = 0; k < 600; k++)
      gauge.set({ name: AWKWARD[k % AWKWARD.length]! }, NUMBERS[k % 16]!);
    for (let i = 0; i < NUMBERS.length; i++) gauge.set({ name: `n${i}` }, NUMBERS[i]!);
    for (let k = 0; k < 3000; k += 7) {
      counter.remove({
        method: methods[k % methods.length]!,
        path: `/items/${k}`,
        code: codes[k % 4]!,
      });
    }
    for (const format of ['text', 'openmetrics'] as const) {
      const pieces = [...encodeSlices(await registry.snapshot(), format)];
      const page = pieces.filter((p) => p !== SLICE_END).join('');
      expect(page).toBe(encode(await registry.collect(), format));
      expect(page).toContain(
        'req_total{app="shop",method="nl\\nx",path="/items/4",code="200"} 5\n',
      );
    }
  });
});
