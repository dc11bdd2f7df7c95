import { seededRandom } from '@promkit/testkit';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { columnSamples } from '../src/exposition/column-samples';
import { InvalidNameError, LabelSetError } from '../src/index';
import {
  AnySeriesTable,
  compileFinder,
  DeclaredSeriesTable,
  LabelSchema,
  type RawLabels,
  type SeriesTable,
} from '../src/series';
import { FNV_OFFSET, SMALL_DICTIONARY } from '../src/series/compiled-finder';
import { LargeDictionary, valueHash } from '../src/series/large-dictionary';
import { ownedString, wellFormed } from '../src/well-formed';

/** The old object-keeping API over an index table, so tests read as lookups of values. */
function keeping<V>(table: SeriesTable) {
  const stored = new Map<number, V>();
  return {
    table,
    get size() {
      return table.size;
    },
    find: (labels: RawLabels | undefined): V | undefined => {
      const index = table.find(labels);
      return index === -1 ? undefined : stored.get(index);
    },
    insert: (labels: RawLabels | undefined, value: V): void => {
      const index = table.insert(labels);
      expect(stored.has(index)).toBe(false);
      stored.set(index, value);
    },
    remove: (labels: RawLabels | undefined): boolean => {
      const index = table.remove(labels);
      if (index === -1) return false;
      stored.delete(index);
      return true;
    },
    values: (): V[] => {
      const out: V[] = [];
      table.forEach((index) => {
        out.push(stored.get(index)!);
      });
      return out;
    },
  };
}

let compiled = true;
let largeDictionaryAt: number | undefined;
const declared = (names: string[]) =>
  keeping<{ id: number }>(
    new DeclaredSeriesTable(new LabelSchema('m', names, {}, []), { compiled, largeDictionaryAt }),
  );

/** A low switch to `LargeDictionary`, so these tests' few values exercise it. */
const LOW_LARGE_AT = 16;

// Every table test runs on the compiled finder and on the general path alone (what
// runtimes that forbid compiling code get), and with positions of more than a few
// values held in a `LargeDictionary` instead of a Map.
describe.each([
  ['compiled finder', true, undefined],
  ['general path only', false, undefined],
  ['compiled finder, large dictionaries', true, LOW_LARGE_AT],
  ['general path only, large dictionaries', false, LOW_LARGE_AT],
])('DeclaredSeriesTable (%s)', (_, mode, largeAt) => {
  beforeEach(() => {
    compiled = mode;
    largeDictionaryAt = largeAt;
  });
  afterEach(() => {
    compiled = true;
    largeDictionaryAt = undefined;
  });

  it('finds every one of many series exactly, through probe collisions and growth', () => {
    const table = declared(['a', 'b', 'c']);
    expect((table.table as unknown as { compiled?: unknown }).compiled !== undefined).toBe(mode);
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const labels = { a: `a${i % 7}`, b: `b${i % 13}`, c: `c${i}` };
      expect(table.find(labels)).toBeUndefined();
      table.insert(labels, { id: i });
    }
    expect(table.size).toBe(n);
    for (let i = 0; i < n; i++) {
      expect(table.find({ a: `a${i % 7}`, b: `b${i % 13}`, c: `c${i}` })?.id).toBe(i);
    }
    // Known ids, unseen combination: every value is interned, the tuple is not.
    expect(table.find({ a: 'a1', b: 'b1', c: 'c0' })).toBeUndefined();
  });

  it('never confuses tuples that share their ids in another order', () => {
    const table = declared(['a', 'b']);
    table.insert({ a: 'x', b: 'y' }, { id: 1 });
    table.insert({ a: 'y', b: 'x' }, { id: 2 });
    table.insert({ a: 'x|', b: '' }, { id: 3 });
    table.insert({ a: 'x', b: '|' }, { id: 4 });
    expect(table.find({ a: 'x', b: 'y' })?.id).toBe(1);
    expect(table.find({ a: 'y', b: 'x' })?.id).toBe(2);
    expect(table.find({ a: 'x|', b: '' })?.id).toBe(3);
    expect(table.find({ a: 'x', b: '|' })?.id).toBe(4);
    expect(table.find({ a: 'y', b: 'y' })).toBeUndefined();
  });

  it('agrees with a Map of JSON keys under random inserts, lookups and removals (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom('insert', 'remove'),
            fc.string({ maxLength: 3 }),
            fc.string({ maxLength: 3 }),
          ),
          { maxLength: 400 },
        ),
        (ops) => {
          const table = declared(['a', 'b']);
          const model = new Map<string, number>();
          ops.forEach(([op, a, b], i) => {
            const key = JSON.stringify([a, b]);
            if (op === 'insert' && table.find({ a, b }) === undefined) {
              table.insert({ a, b }, { id: i });
              model.set(key, i);
            } else if (op === 'remove') {
              expect(table.remove({ a, b })).toBe(model.delete(key));
            }
          });
          expect(table.size).toBe(model.size);
          for (const [key, id] of model) {
            const [a, b] = JSON.parse(key) as [string, string];
            expect(table.find({ a, b })?.id).toBe(id);
          }
          expect(
            table
              .values()
              .map((s) => s.id)
              .sort((x, y) => x - y),
          ).toEqual([...model.values()].sort((x, y) => x - y));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('compacts on churn: removed series free their interned values', () => {
    const table = declared(['job']);
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 100; i++) table.insert({ job: `r${round}-${i}` }, { id: i });
      for (let i = 0; i < 100; i++) expect(table.remove({ job: `r${round}-${i}` })).toBe(true);
    }
    expect(table.size).toBe(0);
    const dictionaries = (table.table as DeclaredSeriesTable).dictionaries;
    expect(dictionaries[0]!.size).toBeLessThanOrEqual(100);
  });

  it("finds values whose text is escaped, and never one by another value's escaped text", () => {
    const table = declared(['a', 'b']);
    const tricky = ['x"', 'x\\"', 'line\nbreak', 'back\\slash', 'ü', '😀', ''];
    const filler = Array.from({ length: 40 }, (_, i) => `f${i}`);
    [...filler, ...tricky].forEach((a, i) => {
      table.insert({ a, b: 'k' }, { id: i });
    });
    if (largeAt !== undefined) {
      expect((table.table as DeclaredSeriesTable).dictionaries[0]).toBeInstanceOf(LargeDictionary);
    }
    [...filler, ...tricky].forEach((a, i) => {
      expect(table.find({ a, b: 'k' })?.id).toBe(i);
    });
    // `x"` is stored with the text `x\"`, and the value `x\"` (in `tricky`) has a series of
    // its own, found above. Texts of values that were never stored find nothing:
    expect(table.find({ a: 'x\\\\"', b: 'k' })).toBeUndefined();
    expect(table.find({ a: 'line\\nbreak', b: 'k' })).toBeUndefined();
    expect(
      (table.table as DeclaredSeriesTable).labelsOf(table.table.find({ a: 'x"', b: 'k' })),
    ).toEqual({
      a: 'x"',
      b: 'k',
    });
  });

  it('validates the label set before looking anything up', () => {
    const table = declared(['a', 'b']);
    expect(() => table.find({ a: '1' })).toThrow(/missing \["b"\]/);
    expect(() => table.find({ a: '1', b: '2', c: '3' } as never)).toThrow(/unexpected \["c"\]/);
    expect(() => table.find({ a: '1', b: null } as never)).toThrow(LabelSetError);
    expect(() => table.find(undefined)).toThrow(/needs labels/);
    expect(() => table.find('x' as never)).toThrow(/labels must be an object/);
    const none = declared([]);
    expect(none.find(undefined)).toBeUndefined();
    expect(() => none.find({ a: '1' } as never)).toThrow(LabelSetError);
  });

  it('checks the whole set on every hit, not only when a series is made', () => {
    const table = declared(['a', 'b']);
    table.insert({ a: '1', b: '2' }, { id: 1 });
    expect(() => table.find({ a: '1', b: '2', c: '3' } as never)).toThrow(/unexpected \["c"\]/);
    expect(() => table.find({ a: '1' } as never)).toThrow(/missing \["b"\]/);
    const inherited = Object.create({ c: '3' }) as Record<string, string>;
    inherited.a = '1';
    inherited.b = '2';
    expect(() => table.find(inherited)).toThrow(/unexpected \["c"\]/);
    expect(() => table.find({ a: '1', b: undefined } as never)).toThrow(/missing \["b"\]/);
  });

  it('finds a series whatever the key order, value type or prototype of the label object', () => {
    const table = declared(['a', 'b']);
    table.insert({ a: '1', b: 'x' }, { id: 1 });
    expect(table.find({ b: 'x', a: '1' })?.id).toBe(1);
    expect(table.find({ a: 1, b: 'x' })?.id).toBe(1);
    const bare = Object.create(null) as Record<string, string>;
    bare.a = '1';
    bare.b = 'x';
    expect(table.find(bare)?.id).toBe(1);
    const got = {
      get a() {
        return '1';
      },
      b: 'x',
    };
    expect(table.find(got)?.id).toBe(1);
  });

  it('finds label values that are Object.prototype names, array indices or __proto__', () => {
    const table = declared(['a', 'b']);
    const values = ['__proto__', 'constructor', 'toString', '200', '1', '01', '', '-0', '1e3'];
    values.forEach((a, i) => {
      table.insert({ a, b: values[values.length - 1 - i]! }, { id: i });
    });
    values.forEach((a, i) => {
      expect(table.find({ a, b: values[values.length - 1 - i]! })?.id).toBe(i);
    });
    for (const a of ['hasOwnProperty', 'valueOf', '0200', '2e2', '0', '__proto']) {
      expect(table.find({ a, b: '1e3' })).toBeUndefined();
    }
    expect(table.find({ a: '1', b: '01' })).toBeUndefined();
  });

  it('finds every series while a label grows past the small dictionary, then after reclaiming and clear', () => {
    const table = declared(['a', 'b']);
    const n = SMALL_DICTIONARY + 40;
    for (let i = 0; i < n; i++) table.insert({ a: `v${i}`, b: `w${i % 3}` }, { id: i });
    const state = table.table as DeclaredSeriesTable;
    if (mode) {
      expect(state.small[0]).toBeUndefined();
      expect(state.small[1]).toBeDefined();
    }
    for (let i = 0; i < n; i++) expect(table.find({ a: `v${i}`, b: `w${i % 3}` })?.id).toBe(i);
    // Removing most series reclaims the interned values: the ids are renumbered.
    for (let i = 0; i < n - 10; i++)
      expect(table.remove({ a: `v${i}`, b: `w${i % 3}` })).toBe(true);
    // (With large dictionaries the last reclaim may have left more than LOW_LARGE_AT values.)
    if (mode && largeAt === undefined) expect(state.small[0]).toBeDefined();
    for (let i = 0; i < n; i++) {
      expect(table.find({ a: `v${i}`, b: `w${i % 3}` })?.id).toBe(i >= n - 10 ? i : undefined);
    }
    state.clear();
    expect(table.find({ a: `v${n - 1}`, b: `w${(n - 1) % 3}` })).toBeUndefined();
    const again = state.insert({ a: 'v0', b: 'w0' });
    expect(state.find({ a: 'v0', b: 'w0' })).toBe(again);
    expect(state.find({ a: `v${n - 1}`, b: 'w0' })).toBe(-1);
  });

  it('never reads a missing label from Object.prototype', () => {
    const table = declared(['constructor', 'toString']);
    table.insert({ constructor: 'c', toString: 't' }, { id: 1 });
    expect(table.find({ constructor: 'c', toString: 't' })?.id).toBe(1);
    expect(() => table.find({ constructor: 'c', other: 't' } as never)).toThrow(LabelSetError);
    expect(() => table.find({ toString: 't' } as never)).toThrow(/missing \["constructor"\]/);
  });
});

describe('LargeDictionary', () => {
  /** FNV-1a from its standard basis gives these two one hash (found by a birthday search). */
  const [one, other] = ['/api/v1/items/1462789', '/api/v1/items/1679192'];

  it('tells apart values whose hashes are equal', () => {
    expect(valueHash(one, FNV_OFFSET)).toBe(valueHash(other, FNV_OFFSET));
    const texts = Array.from({ length: 40 }, (_, i) => `/r${i}`);
    const dictionary = new LargeDictionary(texts, undefined, FNV_OFFSET);
    texts.push(one);
    dictionary.set(one, 40);
    expect(dictionary.get(other)).toBeUndefined();
    texts.push(other);
    dictionary.set(other, 41);
    expect([dictionary.get(one), dictionary.get(other), dictionary.get('/r7')]).toEqual([
      40, 41, 7,
    ]);
  });

  it("starts each dictionary's hashes from its own random seed, and finds the same values", () => {
    const texts = Array.from({ length: 1000 }, (_, i) => `/v${i}`);
    const dictionaries = [1, 2, 3].map(() => new LargeDictionary(texts, undefined));
    expect(new Set(dictionaries.map((d) => d.seed)).size).toBe(3);
    for (const dictionary of dictionaries) {
      expect(texts.map((text) => dictionary.get(text))).toEqual(texts.map((_, id) => id));
      expect(dictionary.get('/v1000')).toBeUndefined();
    }
  });
});

describe('compiled finder and general path', () => {
  it('give the same index for every find, insert and remove (property)', () => {
    const value = fc.constantFrom(
      'x',
      'y',
      '',
      '__proto__',
      'constructor',
      '200',
      '01',
      'a"b',
      'é',
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('find', 'insert', 'remove'), value, value), {
          maxLength: 300,
        }),
        (ops) => {
          const schema = new LabelSchema('m', ['a', 'b'], {}, []);
          const fast = new DeclaredSeriesTable(schema, { compiled: true });
          const general = new DeclaredSeriesTable(schema, { compiled: false });
          for (const [op, a, b] of ops) {
            const labels = { a, b };
            if (op === 'find') expect(fast.find(labels)).toBe(general.find(labels));
            else if (op === 'remove') expect(fast.remove(labels)).toBe(general.remove(labels));
            else if (general.find(labels) === -1) {
              expect(fast.find(labels)).toBe(-1);
              expect(fast.insert(labels)).toBe(general.insert(labels));
            }
          }
          const pages = (t: DeclaredSeriesTable) => {
            const out: string[] = [];
            t.forEach((index) => {
              out.push(`${index} ${t.labelTextOf(index)}`);
            });
            return out;
          };
          expect(pages(fast)).toEqual(pages(general));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('snapshot views: live indices', () => {
  const tables = {
    declared: () => new DeclaredSeriesTable(new LabelSchema('m', ['k'], {}, []), {}),
    any: () => new AnySeriesTable(new LabelSchema('m', undefined, {}, [])),
  };
  for (const [kind, make] of Object.entries(tables)) {
    it(`${kind}: a view keeps its indices while series are added, removed and reused`, () => {
      const table = make();
      const other = make();
      for (let i = 0; i < 3000; i++) table.insert({ k: `${i}` });
      const full = table.view();
      expect([...full.indices]).toEqual(Array.from({ length: 3000 }, (_, i) => i));
      // Another table growing past this one must not change the first view.
      for (let i = 0; i < 9000; i++) other.insert({ k: `${i}` });
      table.remove({ k: '5' });
      table.remove({ k: '2999' });
      const holed = table.view();
      const expected = Array.from({ length: 3000 }, (_, i) => i).filter(
        (i) => i !== 5 && i !== 2999,
      );
      expect([...holed.indices]).toEqual(expected);
      // A freed index is reused: no hole again, and the earlier views still read the same.
      table.insert({ k: 'again' });
      table.insert({ k: 'again2' });
      expect([...table.view().indices]).toEqual(Array.from({ length: 3000 }, (_, i) => i));
      expect(full.indices.length).toBe(3000);
      expect(full.indices[2999]).toBe(2999);
      expect([...holed.indices]).toEqual(expected);
      expect([...other.view().indices]).toEqual(Array.from({ length: 9000 }, (_, i) => i));
    });
  }
});

describe('snapshot views: interned label text', () => {
  for (const compiled of [true, false]) {
    it(`${compiled ? 'compiled' : 'general'}: a view reads the live raw-value array and renders as before`, () => {
      const schema = new LabelSchema('m', ['path', 'code'], { app: 'a"b' }, []);
      const table = new DeclaredSeriesTable(schema, { compiled });
      for (let i = 0; i < 20; i++) table.insert({ path: `/p/${i}`, code: `${200 + (i % 3)}` });
      const view = table.view();
      const interned = view.interned!;
      const texts = [...view.indices].map((i) => view.labelTextOf(i));
      const pairs = (index: number) => {
        const out: string[] = [];
        return out.slice(0, 2 * view.labelPairs(index, out));
      };
      const values = Float64Array.from({ length: 64 }, (_, i) => i);
      const page = () =>
        columnSamples(
          'm',
          { indices: view.indices, values, created: undefined, series: view },
          0,
          20,
          false,
        );
      const rendered = page();
      expect(rendered).toBe(texts.map((text, i) => `m{${text}} ${i}\n`).join(''));
      const before = [...view.indices].map((i) => [view.labelsOf(i), pairs(i)]);
      expect(interned.raw).toEqual([undefined, undefined]);
      expect(interned.constText).toBe('app="a\\"b"');
      expect(interned.openers).toEqual([',path="', ',code="']);
      expect(interned.lineWriter !== undefined).toBe(compiled);
      // Values whose escaped text differs, added after the view was taken: the view's
      // array is the table's own, so it shows their raw values…
      table.insert({ path: 'new\nline', code: 'q"1' });
      table.insert({ path: '/p/21', code: 'x\\y' });
      expect(interned.raw[0]?.get(20)).toBe('new\nline');
      expect(interned.raw[1]?.get(3)).toBe('q"1');
      expect(interned.raw[1]?.get(4)).toBe('x\\y');
      // …while the view's series, labels and text stay what they were.
      expect(view.indices.length).toBe(20);
      expect([...view.indices].map((i) => view.labelTextOf(i))).toEqual(texts);
      expect([...view.indices].map((i) => [view.labelsOf(i), pairs(i)])).toEqual(before);
      expect(texts[7]).toBe('app="a\\"b",path="/p/7",code="201"');
      // A later view sees the new series, escaped once and unescaped in its labels.
      const later = table.view();
      expect(later.labelTextOf(20)).toBe('app="a\\"b",path="new\\nline",code="q\\"1"');
      expect(later.labelsOf(20)).toEqual({ app: 'a"b', path: 'new\nline', code: 'q"1' });
      expect(later.interned!.raw).toBe(interned.raw);
      // Removing and reusing an index after the view leaves the view's text alone.
      table.remove({ path: '/p/7', code: '201' });
      table.insert({ path: 'reused', code: '200' });
      expect(view.labelTextOf(7)).toBe(texts[7]);
      expect(page()).toBe(rendered);
    });
  }
});

describe('compileFinder', () => {
  it('is undefined where the runtime forbids compiling code, and the table still works', () => {
    vi.stubGlobal('Function', function refuse() {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    try {
      // Names no earlier test compiled: finders are shared per list of names.
      expect(compileFinder(['refused'])).toBeUndefined();
      const table = keeping<number>(
        new DeclaredSeriesTable(new LabelSchema('m', ['refused'], {}, [])),
      );
      expect((table.table as DeclaredSeriesTable).compiled).toBeUndefined();
      table.insert({ refused: '1' }, 7);
      expect(table.find({ refused: '1' })).toBe(7);
      expect(() => table.find({ refused: '1', b: '2' } as never)).toThrow(LabelSetError);
    } finally {
      vi.unstubAllGlobals();
    }
    expect(compileFinder(['refused'])).toBeTypeOf('function');
    expect(compileFinder(['refused'])).toBe(compileFinder(['refused']));
  });
});

describe('AnySeriesTable', () => {
  it.each([
    ['no const labels', {}],
    ['a const label', { app: 'shop' }],
  ])('agrees with a reference model over random operations (%s)', (_, constLabels) => {
    const next = seededRandom(Object.keys(constLabels).length + 31);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
    const names = ['a', 'b', 'c', 'd'];
    const values: ReadonlyArray<string | number> = [
      '0',
      0,
      'x',
      '',
      'x=y',
      'x\u0001',
      '\uD800',
      '\uFFFD',
    ];
    const table = new AnySeriesTable(new LabelSchema('m', undefined, constLabels, []));
    const model = new Map<string, number>();
    const identity = (labels: Record<string, string | number>) =>
      JSON.stringify(
        Object.keys(labels)
          .sort()
          .map((name) => [name, wellFormed(String(labels[name]))]),
      );
    for (let step = 0; step < 5000; step++) {
      const labels: Record<string, string | number> = {};
      for (const name of [...names].sort(() => next() - 0.5)) {
        if (next() < 0.6) labels[name] = pick(values);
      }
      const key = identity(labels);
      const operation = next();
      if (operation < 0.45) {
        if (table.find(labels) === -1) model.set(key, table.insert(labels));
        expect(table.find(labels)).toBe(model.get(key));
      } else if (operation < 0.7) {
        expect(table.remove(labels)).toBe(model.get(key) ?? -1);
        model.delete(key);
      } else if (operation < 0.75 && model.size > 0) {
        const [victim, index] = [...model][Math.floor(next() * model.size)]!;
        table.removeAt(index);
        model.delete(victim);
      } else {
        expect(table.find(labels)).toBe(model.get(key) ?? -1);
      }
      expect(table.size).toBe(model.size);
    }
    const live: number[] = [];
    table.forEach((index) => {
      live.push(index);
    });
    expect(live.sort((x, y) => x - y)).toEqual([...model.values()].sort((x, y) => x - y));
    for (const index of live) {
      const own = { ...table.labelsOf(index) };
      for (const name of Object.keys(constLabels)) delete own[name];
      expect(table.find(own)).toBe(index);
    }
  });

  it('makes nothing for a lookup of names no series has, and refuses a bad set unchanged', () => {
    const table = new AnySeriesTable(new LabelSchema('m', undefined, { app: 'shop' }, []));
    const index = table.insert({ a: '1', b: '2' });
    expect(table.find({ 'a\u0001b': '1' })).toBe(-1);
    expect(() => table.find({ c: {} as unknown as string })).toThrow(LabelSetError);
    expect(() => table.remove({ c: null as unknown as string })).toThrow(LabelSetError);
    expect(table.find({ b: '2', a: '1' })).toBe(index);
    expect(() => table.insert({ app: 'other' })).toThrow(LabelSetError);
    expect(() => table.insert({ 'bad name': 'x' })).toThrow(InvalidNameError);
    expect(table.size).toBe(1);
    expect(table.find({ a: '1', b: '2' })).toBe(index);
  });

  it('is independent of key order and of number vs string values', () => {
    const table = keeping<number>(new AnySeriesTable(new LabelSchema('m', undefined, {}, [])));
    table.insert({ a: '1', b: 'x=y' }, 1);
    expect(table.find({ b: 'x=y', a: 1 })).toBe(1);
    table.insert({ a: 'x\u0001' }, 2);
    expect(table.find({ a: 'x\u0001' })).toBe(2);
    expect(table.find({ a: 'x' })).toBeUndefined();
  });
});

describe('series tables and ill-formed UTF-16', () => {
  it('stores lone surrogates as U+FFFD and finds the series by either spelling', () => {
    const table = declared(['a']);
    const schema = new LabelSchema('m', ['a'], {}, []);
    expect(schema.owned({ a: 'x\uD800y' })).toEqual({ a: 'x\uFFFDy' });
    table.insert({ a: 'x\uD800y' }, { id: 1 });
    expect(table.find({ a: 'x\uD800y' })?.id).toBe(1);
    expect(table.find({ a: 'x\uFFFDy' })?.id).toBe(1);
    const any = keeping<number>(new AnySeriesTable(new LabelSchema('m', undefined, {}, [])));
    any.insert({ a: '\uDC00' }, 1);
    expect(any.find({ a: '\uFFFD' })).toBe(1);
  });

  it('compacts 10k series in linear time (removing half of them stays quick)', () => {
    const table = declared(['id']);
    for (let i = 0; i < 10_000; i++) table.insert({ id: `s${i}` }, { id: i });
    for (let i = 0; i < 5_001; i++) table.remove({ id: `s${i}` });
    expect(table.size).toBe(4_999);
    for (let i = 5_001; i < 10_000; i++) expect(table.find({ id: `s${i}` })?.id).toBe(i);
  });
});

describe.each([
  ['compiled finder', true],
  ['general path only', false],
])('DeclaredSeriesTable storage (%s)', (_, compiled) => {
  const make = (names: string[]) =>
    new DeclaredSeriesTable(new LabelSchema('m', names, {}, []), { compiled });

  it('widens its ids from 1 to 2 to 4 bytes as a label gains values, keeping every series', () => {
    const table = make(['a', 'b']);
    const indexOf = new Map<number, number>();
    const kinds = new Set<string>();
    // Removes a few series on the way, so free indices must stay free across each widening.
    const removed = new Set<number>();
    for (let i = 0; i < 70_000; i++) {
      indexOf.set(i, table.insert({ a: `v${i}`, b: i % 2 ? 'x' : 'y' }));
      kinds.add(table.ids.constructor.name);
      if (i === 200 || i === 60_000) {
        for (const gone of [i - 3, i - 1]) {
          expect(table.remove({ a: `v${gone}`, b: gone % 2 ? 'x' : 'y' })).toBe(indexOf.get(gone));
          removed.add(gone);
        }
      }
    }
    expect([...kinds]).toEqual(['Uint8Array', 'Uint16Array', 'Int32Array']);
    expect(table.size).toBe(70_000 - removed.size);
    const live = new Set<number>();
    table.forEach((index) => {
      live.add(index);
    });
    expect(live.size).toBe(table.size);
    // What a scrape lists: the same live indices, ascending.
    expect([...table.view().indices]).toEqual([...live]);
    const wrong: number[] = [];
    for (const [i, index] of indexOf) {
      const labels = { a: `v${i}`, b: i % 2 ? 'x' : 'y' };
      const want = removed.has(i) ? -1 : index;
      if (table.find(labels) !== want) wrong.push(i);
      else if (want !== -1 && table.labelTextOf(index) !== `a="v${i}",b="${labels.b}"`)
        wrong.push(i);
    }
    expect(wrong).toEqual([]);
  });

  it('is exact at each id width boundary (254, 255, 65 534, 65 535 values)', () => {
    for (const n of [254, 255, 256, 65_534, 65_535, 65_536]) {
      const table = make(['a']);
      const inserted: number[] = [];
      const found: number[] = [];
      for (let i = 0; i < n; i++) inserted.push(table.insert({ a: `${i}` }));
      for (let i = 0; i < n; i++) found.push(table.find({ a: `${i}` }));
      const expected = Array.from({ length: n }, (_, i) => i);
      expect(inserted).toEqual(expected);
      expect(found).toEqual(expected);
      expect(table.size).toBe(n);
      expect(table.labelTextOf(n - 1)).toBe(`a="${n - 1}"`);
      expect(table.remove({ a: `${n - 1}` })).toBe(n - 1);
      let visited = 0;
      table.forEach(() => {
        visited++;
      });
      expect(visited).toBe(n - 1);
    }
  });
});

describe.each([
  ['compiled writers', true, undefined],
  ['general path only', false, undefined],
  ['compiled writers, large dictionaries', true, LOW_LARGE_AT],
  ['general path only, large dictionaries', false, LOW_LARGE_AT],
])('what a scrape reads of a declared table (%s)', (_, mode, largeAt) => {
  const make = (constLabels: Record<string, string> = {}) =>
    new DeclaredSeriesTable(new LabelSchema('m', ['path', 'code'], constLabels, []), {
      compiled: mode,
      largeDictionaryAt: largeAt,
    });

  it('rebuilds each label set (const labels first) and its escaped text', () => {
    const table = make({ app: 'shop' });
    const plain = table.insert({ path: '/a', code: '200' });
    const quoted = table.insert({ path: 'say "hi"\\\nbye', code: 404 });
    expect(table.labelsOf(plain)).toEqual({ app: 'shop', path: '/a', code: '200' });
    expect(Object.keys(table.labelsOf(plain))).toEqual(['app', 'path', 'code']);
    expect(table.labelTextOf(plain)).toBe('app="shop",path="/a",code="200"');
    expect(table.labelsOf(quoted)).toEqual({ app: 'shop', path: 'say "hi"\\\nbye', code: '404' });
    expect(table.labelTextOf(quoted)).toBe('app="shop",path="say \\"hi\\"\\\\\\nbye",code="404"');
    const bare = make();
    const only = bare.insert({ path: '/b', code: '500' });
    expect(bare.labelTextOf(only)).toBe('path="/b",code="500"');
  });

  it('gives tables of the same label names each their own const labels', () => {
    // Such tables share compiled writer code; each must still write its own values.
    const tables = ['eu', 'us', 'ap'].map((region) => make({ region }));
    const indices = tables.map((t) => t.insert({ path: '/x', code: '200' }));
    tables.forEach((table, i) => {
      const region = ['eu', 'us', 'ap'][i];
      expect(table.labelTextOf(indices[i]!)).toBe(`region="${region}",path="/x",code="200"`);
      expect(table.labelsOf(indices[i]!)).toEqual({ region, path: '/x', code: '200' });
    });
  });

  it('writes right for more label schemas than compiled code is kept for', () => {
    for (let n = 0; n < 300; n++) {
      const table = new DeclaredSeriesTable(new LabelSchema('m', [`l${n}`, 'code'], {}, []), {
        compiled: mode,
      });
      const index = table.insert({ [`l${n}`]: `v${n}`, code: 'ok' });
      expect(table.labelTextOf(index)).toBe(`l${n}="v${n}",code="ok"`);
      expect(table.labelsOf(index)).toEqual({ [`l${n}`]: `v${n}`, code: 'ok' });
    }
  });

  it('keeps live indices and their labels through removals and reclaiming', () => {
    const table = make();
    const kept = new Map<number, string>();
    // Some paths need escaping, so reclaiming carries raw values as well as texts.
    const pathOf = (i: number) => (i % 5 === 0 ? `/p"${i}\\` : `/p${i}`);
    for (let i = 0; i < 300; i++) {
      const index = table.insert({ path: pathOf(i), code: i % 2 ? '200' : 'quote"d' });
      if (i % 3 === 0) kept.set(index, pathOf(i));
    }
    for (let i = 0; i < 300; i++) {
      if (i % 3 !== 0)
        expect(table.remove({ path: pathOf(i), code: i % 2 ? '200' : 'quote"d' })).not.toBe(-1);
    }
    expect(table.size).toBe(kept.size);
    const visited: number[] = [];
    table.forEach((index) => {
      visited.push(index);
    });
    expect(visited).toEqual([...kept.keys()]);
    for (const [index, path] of kept) {
      expect(table.labelsOf(index).path).toBe(path);
      expect(table.find(table.labelsOf(index))).toBe(index);
    }
    // Freed indices are handed out again before the table grows.
    const reused = table.insert({ path: '/new', code: '201' });
    expect(reused).toBeLessThan(300);
  });
});

describe('ownedString', () => {
  it('copies long values exactly and repairs lone surrogates', () => {
    const long = `/api/v1/items/${'x'.repeat(40)}`;
    expect(ownedString(long)).toBe(long);
    expect(ownedString(`${'a'.repeat(20)}\uD800`)).toBe(`${'a'.repeat(20)}\uFFFD`);
    expect(ownedString('short\uDC00')).toBe('short\uFFFD');
    expect(ownedString('héllo wörld, ünïcode ✓ 😀')).toBe('héllo wörld, ünïcode ✓ 😀');
  });

  it('keeps a leading U+FEFF (a UTF-8 decoder drops it as a byte order mark by default)', () => {
    const long = '\uFEFF/api/v1/items/ü😀';
    expect(ownedString(long)).toBe(long);
    expect(ownedString('\uFEFFab')).toBe('\uFEFFab');
  });
});
