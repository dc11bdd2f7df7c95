// PrototypeReads: the response's accessors and `on`, found on its prototype chain and
// called on the response itself; plain reads where the chain has no accessor.
import { describe, expect, it } from 'vitest';
import { PrototypeReads } from '../src/http/prototype-reads';
import type { NodeResponseLike } from '../src/http/response-trackers';

class Base {
  _closed = false;
  finished = false;
  readonly calls: unknown[][] = [];
  get closed(): boolean {
    return this._closed;
  }
  get writableFinished(): boolean {
    return this.finished;
  }
  on(...args: unknown[]): this {
    this.calls.push(args);
    return this;
  }
}

/** A `Base` whose prototype is swapped for an object inheriting from `Base.prototype` (Express' shape). */
function swapped(prototype: object): Base & NodeResponseLike {
  const res = new Base();
  Object.setPrototypeOf(res, prototype);
  return res as Base & NodeResponseLike;
}

describe('PrototypeReads', () => {
  it('calls the accessors and `on` of the prototype chain with the response as `this`', () => {
    const reads = new PrototypeReads();
    const res = swapped(Object.create(Base.prototype) as object);
    expect(reads.closed(res)).toBe(false);
    expect(reads.writableFinished(res)).toBe(false);
    res._closed = true;
    res.finished = true;
    expect(reads.closed(res)).toBe(true);
    expect(reads.writableFinished(res)).toBe(true);
    const listener = () => {};
    reads.onClose(res, listener);
    expect(res.calls).toEqual([['close', listener]]);
  });

  it('learns again when a response has another prototype', () => {
    const reads = new PrototypeReads();
    const first = swapped(Object.create(Base.prototype) as object);
    expect(reads.closed(first)).toBe(false);
    const other = Object.create(Base.prototype, {
      closed: { get: () => 'from the other prototype' },
    }) as object;
    expect(reads.closed(swapped(other))).toBe('from the other prototype');
    expect(reads.closed(first)).toBe(false);
  });

  it('reads the response itself where the chain holds data, not an accessor', () => {
    const reads = new PrototypeReads();
    const listener = () => {};
    const seen: unknown[][] = [];
    const res = {
      closed: true,
      writableFinished: true,
      statusCode: 200,
      on(...args: unknown[]) {
        seen.push(args);
      },
    } as unknown as NodeResponseLike;
    expect(reads.closed(res)).toBe(true);
    expect(reads.writableFinished(res)).toBe(true);
    reads.onClose(res, listener);
    expect(seen).toEqual([['close', listener]]);
    const bare = Object.assign(Object.create(null) as object, {
      closed: false,
      writableFinished: false,
      on: (...args: unknown[]) => seen.push(args),
    }) as unknown as NodeResponseLike;
    expect(reads.closed(bare)).toBe(false);
    reads.onClose(bare, listener);
    expect(seen).toHaveLength(2);
  });
});
