import { seededRandom } from '@promkit/testkit';
import { describe, expect, it } from 'vitest';
import { type SeriesBase, SeriesStore } from '../src/series-store';

interface TestSeries extends SeriesBase {
  readonly id: number;
}

let made = 0;
const create = (labels: SeriesBase['labels'], tailKey: string | undefined): TestSeries => ({
  labels,
  tailKey,
  text: undefined,
  id: made++,
});

/** prom-client's identity of a label set: declared names' values as strings, absent = absent. */
function identity(names: readonly string[], labels: Record<string, unknown>): string {
  return JSON.stringify(
    [...names].sort().map((name) => (labels[name] === undefined ? null : String(labels[name]))),
  );
}

describe('SeriesStore', () => {
  it('a prefix holds its one series, then a Map, then its one series again', () => {
    const store = new SeriesStore<TestSeries>(['method', 'path', 'status']);
    const ok = store.obtain({ method: 'GET', path: '/a', status: '200' }, create);
    expect(store.find({ method: 'GET', path: '/a', status: '200' })).toBe(ok);
    expect(store.find({ method: 'GET', path: '/a', status: '500' })).toBeUndefined();
    expect(store.find({ method: 'GET', path: '/a' })).toBeUndefined();

    const failed = store.obtain({ status: 500, path: '/a', method: 'GET' }, create);
    expect(failed).not.toBe(ok);
    expect(store.find({ method: 'GET', path: '/a', status: '500' })).toBe(failed);
    expect(store.find({ method: 'GET', path: '/a', status: '200' })).toBe(ok);
    expect(store.obtain({ method: 'GET', path: '/a', status: '200' }, create)).toBe(ok);

    store.delete({ method: 'GET', path: '/a', status: '200' });
    expect(store.find({ method: 'GET', path: '/a', status: '200' })).toBeUndefined();
    expect(store.find({ method: 'GET', path: '/a', status: 500 })).toBe(failed);
    store.delete({ method: 'GET', path: '/a', status: '500' });
    expect(store.find({ method: 'GET', path: '/a', status: '500' })).toBeUndefined();
    expect([...store.series]).toEqual([]);
  });

  it('tells series apart by their own key, not by the labels object `get()` hands out', () => {
    const store = new SeriesStore<TestSeries>(['a', 'b']);
    const first = store.obtain({ a: 'x', b: '1' }, create);
    (first.labels as Record<string, string>).b = 'changed';
    expect(store.find({ a: 'x', b: '1' })).toBe(first);
    expect(store.obtain({ a: 'x', b: '1' }, create)).toBe(first);
    expect(store.series.size).toBe(1);
  });

  it('keeps absent labels apart from present ones under one prefix', () => {
    const store = new SeriesStore<TestSeries>(['a', 'b']);
    const without = store.obtain({ a: 'x' }, create);
    const withB = store.obtain({ a: 'x', b: 'undefined' }, create);
    expect(withB).not.toBe(without);
    expect(store.find({ a: 'x' })).toBe(without);
    expect(store.find({ a: 'x', b: undefined })).toBe(without);
    expect(store.find({ a: 'x', b: 'undefined' })).toBe(withB);
  });

  it.each([
    [1, ['a']],
    [2, ['b', 'a']],
    [3, ['c', 'a', 'b']],
    [4, ['a', 'b', 'c', 'd']],
  ])('agrees with a reference model over random operations (%i labels)', (_, names) => {
    const next = seededRandom(names.length * 7919);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
    const values: ReadonlyArray<string | number | undefined> = [
      '0',
      0,
      '1',
      'x',
      'x|',
      '',
      undefined,
    ];
    const store = new SeriesStore<TestSeries>(names);
    const model = new Map<string, TestSeries>();
    for (let step = 0; step < 4000; step++) {
      const labels: Record<string, unknown> = {};
      for (const name of [...names].sort(() => next() - 0.5)) {
        const value = pick(values);
        if (value !== undefined || next() < 0.5) labels[name] = value;
      }
      const key = identity(names, labels);
      const operation = next();
      if (operation < 0.5) {
        const series = store.obtain(labels, create);
        const known = model.get(key);
        if (known === undefined) model.set(key, series);
        else expect(series).toBe(known);
      } else if (operation < 0.75) {
        store.delete(labels);
        model.delete(key);
      } else {
        expect(store.find(labels)).toBe(model.get(key));
      }
    }
    expect(new Set(store.series)).toEqual(new Set(model.values()));
    for (const [key, series] of model) {
      expect(identity(names, series.labels)).toBe(key);
      expect(store.find(series.labels)).toBe(series);
    }
  });
});
