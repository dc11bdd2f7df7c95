// The byte-level writers every protobuf encoder in core shares.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Length, varintLength, writeStringField, writeVarint } from '../src/wire/bytes';

/** Short strings, and long ones (the writer switches to TextEncoder at 64 code units). */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'binary', minLength: 60, maxLength: 300 }),
);

const encoder = new TextEncoder();

describe('utf8Length', () => {
  it('is the length TextEncoder gives, lone surrogates included', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        expect(utf8Length(text)).toBe(encoder.encode(text).length);
      }),
      { numRuns: 2000 },
    );
    for (const text of ['\ud800\ud800', 'a\ud800é', '\ud800', '\udc00\ud800']) {
      expect(utf8Length(text), JSON.stringify(text)).toBe(encoder.encode(text).length);
    }
  });
});

describe('varintLength and writeVarint', () => {
  it('agree on every length up to 2^64', () => {
    const buf = new Uint8Array(10);
    for (let bits = 0; bits <= 63; bits++) {
      for (const n of [2 ** bits - 1, 2 ** bits]) {
        expect(writeVarint(buf, 0, n), `2^${bits}`).toBe(varintLength(n));
      }
    }
  });
});

describe('writeStringField', () => {
  it('fits a buffer sized exactly for it, short and long, whatever the characters', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        const bytes = encoder.encode(text);
        const field = new Uint8Array(1 + varintLength(bytes.length) + bytes.length);
        expect(writeStringField(field, 0, 0x12, text)).toBe(field.length);
        const expected = new Uint8Array(field.length);
        expected[0] = 0x12;
        expected.set(bytes, writeVarint(expected, 1, bytes.length));
        expect([...field]).toEqual([...expected]);
      }),
      { numRuns: 2000 },
    );
  });
});
