// ProtoWriter against protobufjs' Writer as the oracle: the same calls must give the same bytes.
import fc from 'fast-check';
import protobuf from 'protobufjs/minimal.js';
import { describe, expect, it } from 'vitest';
import { isPromkitError, WireEncodingError } from '../src/errors';
import { ProtoWriter } from '../src/wire/proto-writer';

type Method = 'uint32' | 'int32' | 'uint64' | 'int64' | 'sint32' | 'sint64' | 'double' | 'string';

/** The bytes each writer gives for one call of `method` with `value`. */
function both(method: Method, value: number | string): [Uint8Array, Uint8Array] {
  const ours = new ProtoWriter();
  const theirs = new protobuf.Writer();
  (ours[method] as (v: number | string) => ProtoWriter)(value);
  (theirs[method] as (v: number | string) => protobuf.Writer)(value);
  return [ours.finish(), theirs.finish()];
}

function expectSame(method: Method, value: number | string): void {
  const [ours, theirs] = both(method, value);
  expect([...ours], `${method}(${String(value)})`).toEqual([...theirs]);
}

/** Around every varint length boundary: 2^7, 2^14, 2^21, 2^28, 2^31, 2^32, 2^35 … 2^53. */
const BOUNDARIES = [7, 14, 21, 28, 31, 32, 35, 42, 49, 52].flatMap((bits) => [
  2 ** bits - 1,
  2 ** bits,
  2 ** bits + 1,
]);

describe('ProtoWriter varints', () => {
  it('writes uint32 as protobufjs does at every length boundary', () => {
    for (const n of [0, 1, 127, 128, ...BOUNDARIES.filter((n) => n <= 0xffffffff)]) {
      expectSame('uint32', n);
    }
  });

  it('writes uint64/int64 up to 2^53 − 1 and beyond as protobufjs does', () => {
    const values = [0, 1, ...BOUNDARIES, Number.MAX_SAFE_INTEGER, 2 ** 63, 2 ** 64 - 2048];
    for (const n of values) {
      expectSame('uint64', n);
      expectSame('int64', n);
    }
  });

  it('writes negative int64 and int32 as ten bytes of two’s complement', () => {
    const values = [-1, -2, -127, -128, -(2 ** 31), -(2 ** 32), -(2 ** 53) + 1, -(2 ** 63)];
    for (const n of values) {
      expectSame('int64', n);
      expect(new ProtoWriter().int64(n).finish()).toHaveLength(10);
    }
    for (const n of [-1, -128, -(2 ** 31)]) expectSame('int32', n);
    expect([...new ProtoWriter().int64(-1).finish()]).toEqual([
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
    ]);
  });

  it('writes zigzag sint32 and sint64 as protobufjs does', () => {
    const values = [0, -1, 1, -64, 64, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1];
    for (const n of [...values, 2 ** 40, -(2 ** 40), 2 ** 53 - 1, -(2 ** 53) + 1]) {
      expectSame('sint64', n);
    }
    for (const n of values.slice(0, 7)) expectSame('sint32', n);
    expect([...new ProtoWriter().sint64(-1).finish()]).toEqual([1]);
    expect([...new ProtoWriter().sint64(1).finish()]).toEqual([2]);
  });

  it('agrees with protobufjs on random safe integers', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expectSame('int64', n);
        expectSame('sint64', n);
        if (n >= 0) expectSame('uint64', n);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ProtoWriter doubles', () => {
  it('writes doubles little-endian, NaN, ±Infinity and −0 included', () => {
    const values = [0, -0, 1, -1.5, Math.PI, Number.NaN, Infinity, -Infinity, 5e-324, 1.7e308];
    for (const value of values) expectSame('double', value);
    const view = new DataView(new ProtoWriter().double(-0).finish().buffer);
    expect(Object.is(view.getFloat64(0, true), -0)).toBe(true);
  });
});

/** Short strings, and long ones (the writer switches to TextEncoder at 64 code units). */
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'binary', minLength: 60, maxLength: 300 }),
);

const encoder = new TextEncoder();

/** Length varint and UTF-8 as TextEncoder gives them. */
function expectedString(text: string): number[] {
  const bytes = encoder.encode(text);
  return [...new protobuf.Writer().uint32(bytes.length).finish(), ...bytes];
}

describe('ProtoWriter strings', () => {
  const WELL_FORMED = [
    '',
    'plain ascii',
    'x'.repeat(127),
    'x'.repeat(128),
    'x'.repeat(300),
    'café', // 2-byte
    'é'.repeat(70), // 2-byte, length over 127 bytes from fewer than 128 characters
    '日本語のラベル', // 3-byte
    'ünïcödé 😀 emoji', // surrogate pair
    '😀'.repeat(40),
    `${'a'.repeat(100)}😀${'ü'.repeat(100)}`,
  ];
  const ILL_FORMED = [
    '\ud800', // lone high surrogate at the end
    '\udc00x', // lone low surrogate
    '\ud800\ud800', // two highs
    'a\ud800é', // high before a 2-byte character
    '\ud83d\ude00\ude00', // a pair, then a lone low
    `${'b'.repeat(70)}\ud800c`, // long enough for encodeInto
  ];

  it('writes what TextEncoder writes, with its length first', () => {
    for (const text of [...WELL_FORMED, ...ILL_FORMED]) {
      expect([...new ProtoWriter().string(text).finish()], JSON.stringify(text)).toEqual(
        expectedString(text),
      );
    }
  });

  it('writes lone surrogates as U+FFFD', () => {
    expect([...new ProtoWriter().string('\ud800').finish()]).toEqual([3, 0xef, 0xbf, 0xbd]);
  });

  it('agrees with protobufjs on well-formed strings', () => {
    for (const text of WELL_FORMED) expectSame('string', text);
  });

  it('agrees with TextEncoder on random strings, lone surrogates included', () => {
    fc.assert(
      fc.property(anyString, (text) => {
        expect([...new ProtoWriter().string(text).finish()]).toEqual(expectedString(text));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ProtoWriter submessages', () => {
  it('writes nested forks as protobufjs does, lengths of one to three bytes', () => {
    for (const size of [0, 1, 127, 128, 16383, 16384, 70000]) {
      const body = 'z'.repeat(size);
      const ours = new ProtoWriter(16);
      const theirs = new protobuf.Writer();
      for (const w of [ours, theirs] as const) {
        w.uint32(0x0a).fork();
        w.uint32(0x12).fork();
        w.uint32(0x1a).string(body);
        w.uint32(0x20).uint32(size);
        w.ldelim();
        w.uint32(0x29).double(size);
        w.ldelim();
        w.uint32(0x32).bytes(new Uint8Array([1, 2, 3]));
      }
      expect(Buffer.from(ours.finish()).equals(Buffer.from(theirs.finish()))).toBe(true);
    }
  });

  it('copies what it wrote, and keeps writing after reset()', () => {
    const w = new ProtoWriter();
    w.uint32(1).raw(new Uint8Array([2, 3]));
    expect([...w.slice(1)]).toEqual([2, 3]);
    expect(w.length).toBe(3);
    w.reset().uint32(9);
    expect([...w.finish()]).toEqual([9]);
  });

  it('throws WireEncodingError on ldelim() without fork()', () => {
    const w = new ProtoWriter().uint32(1);
    expect(() => w.ldelim()).toThrow(WireEncodingError);
    try {
      w.ldelim();
    } catch (error) {
      expect(isPromkitError(error)).toBe(true);
      expect((error as WireEncodingError).code).toBe('PROMKIT_ERR_WIRE_ENCODING');
      expect((error as Error).name).toBe('WireEncodingError');
      expect((error as Error).message).toMatch(/ldelim\(\) called without an open fork\(\)/);
    }
  });

  it('throws WireEncodingError on finish() with a fork still open', () => {
    const w = new ProtoWriter().fork().fork().uint32(1).ldelim();
    expect(() => w.finish()).toThrow(/finish\(\) called with 1 fork\(\) not closed/);
  });
});
