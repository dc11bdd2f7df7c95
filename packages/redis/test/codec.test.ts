import { describe, expect, it } from 'vitest';
import { decodeLabels, deltaText, encodeLabels, parseNumber, splitField } from '../src/codec';

describe('field codec', () => {
  it('round-trips label sets whose values contain brackets, quotes, separators and control characters', () => {
    const labels = { path: '/a[1]/"b"', q: 'x\u0000y\n', empty: '', ü: '[]' };
    const text = encodeLabels(labels);
    expect(decodeLabels(text)).toEqual(labels);
    expect(Object.keys(decodeLabels(text)!)).toEqual(Object.keys(labels));
    const field = `b3${text}`;
    expect(splitField(field)).toEqual({ part: 'b3', labels: text });
    expect(splitField(`name:with:colons${encodeLabels({})}`)).toEqual({
      part: 'name:with:colons',
      labels: '[]',
    });
  });

  it('rejects label text it did not write', () => {
    expect(decodeLabels('{"a":"b"}')).toBeUndefined();
    expect(decodeLabels('["a"]')).toBeUndefined();
    expect(decodeLabels('["a",1]')).toBeUndefined();
    expect(decodeLabels('[')).toBeUndefined();
    expect(splitField('hb')).toBeUndefined();
  });

  it('spells non-finite deltas as the flush script reads them and parses what Redis writes', () => {
    expect(deltaText(0.1)).toBe('0.1');
    expect(deltaText(1e-7)).toBe('1e-7');
    expect(deltaText(Infinity)).toBe('inf');
    expect(deltaText(-Infinity)).toBe('-inf');
    expect(deltaText(Number.NaN)).toBe('nan');
    for (const [text, value] of [
      ['inf', Infinity],
      ['-inf', -Infinity],
      ['Infinity', Infinity],
      ['-nan', Number.NaN],
      ['3.0000000000000004', 3.0000000000000004],
      ['1000000', 1e6],
    ] as const) {
      expect(parseNumber(text)).toBe(value);
    }
  });
});
