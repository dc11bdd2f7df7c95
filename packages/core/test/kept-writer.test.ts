import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors';
import { KeptProtoWriter, type ProtoWriter } from '../src/wire';

describe('KeptProtoWriter', () => {
  it('hands the same writer to the next message, emptied, and returns copies', () => {
    const kept = new KeptProtoWriter();
    const writers: ProtoWriter[] = [];
    const first = kept.encode((w) => {
      writers.push(w);
      w.uint32(0x0a).string('a'.repeat(1000));
    });
    const second = kept.encode((w) => {
      writers.push(w);
      w.uint32(0x08).uint32(1);
    });
    expect(writers[1]).toBe(writers[0]);
    expect([...second]).toEqual([0x08, 0x01]);
    // The first message's bytes are its own: the next message did not write over them.
    expect(first.length).toBe(1 + 2 + 1000);
    expect([...first.subarray(0, 4)]).toEqual([0x0a, 0xe8, 0x07, 'a'.charCodeAt(0)]);
  });

  it('drops a writer whose message threw, with its open fork, and rethrows', () => {
    const kept = new KeptProtoWriter();
    const writers: ProtoWriter[] = [];
    expect(() =>
      kept.encode((w) => {
        writers.push(w);
        w.uint32(0x12).fork();
        throw new Error('no such field');
      }),
    ).toThrow('no such field');
    const after = kept.encode((w) => {
      writers.push(w);
      w.uint32(0x08).uint32(2);
    });
    expect(writers[1]).not.toBe(writers[0]);
    expect([...after]).toEqual([0x08, 0x02]);
  });

  it('drops a writer that wrote more than maxKeptBytes, keeps one that wrote that many', () => {
    const kept = new KeptProtoWriter(16);
    const writers: ProtoWriter[] = [];
    const write = (bytes: number) =>
      kept.encode((w) => {
        writers.push(w);
        w.raw(new Uint8Array(bytes));
      });
    write(17);
    write(16);
    write(16);
    expect(writers[1]).not.toBe(writers[0]);
    expect(writers[2]).toBe(writers[1]);
  });

  it('rejects a maxKeptBytes that is not a number ≥ 0, naming the value', () => {
    for (const bad of [-1, Number.NaN, '8' as unknown as number]) {
      expect(() => new KeptProtoWriter(bad)).toThrow(ConfigError);
    }
    expect(() => new KeptProtoWriter(-1)).toThrow(
      'KeptProtoWriter: maxKeptBytes must be a number ≥ 0, got number -1',
    );
    const unbounded = new KeptProtoWriter(Number.POSITIVE_INFINITY);
    expect([...unbounded.encode((w) => w.uint32(0x08).uint32(3))]).toEqual([0x08, 0x03]);
  });
});
