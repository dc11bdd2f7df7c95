import type { NodeResponseLike } from './response-trackers';

type Getter = (this: NodeResponseLike) => unknown;

/**
 * What the bookkeeping reads of a response, taken from the response's prototype chain
 * (found once per prototype) rather than through the response. For responses that get a
 * hidden class of their own on every request (Express 5 swaps the prototype of `res`, and
 * V8 then makes a new map for each property added afterwards): reading `res.closed` there
 * misses V8's caches and walks five prototypes each time (~5 k instructions for the
 * accessor), calling the accessor itself costs one own-field read. A name the chain does
 * not hold as an accessor (or a function, for `on`) is read from the response as usual.
 */
export class PrototypeReads {
  private prototype: object | null = null;
  private closedGetter: Getter | undefined;
  private finishedGetter: Getter | undefined;
  private onFunction: NodeResponseLike['on'] | undefined;

  /** `res.closed`. */
  closed(res: NodeResponseLike): boolean | undefined {
    this.learn(res);
    const get = this.closedGetter;
    return (get === undefined ? res.closed : get.call(res)) as boolean | undefined;
  }

  /** `res.writableFinished`. */
  writableFinished(res: NodeResponseLike): boolean {
    this.learn(res);
    const get = this.finishedGetter;
    return (get === undefined ? res.writableFinished : get.call(res)) as boolean;
  }

  /** `res.on('close', listener)`. */
  onClose(res: NodeResponseLike, listener: (this: NodeResponseLike) => void): void {
    this.learn(res);
    const on = this.onFunction;
    if (on === undefined) res.on('close', listener);
    else on.call(res, 'close', listener);
  }

  private learn(res: NodeResponseLike): void {
    const prototype = Object.getPrototypeOf(res) as object | null;
    if (prototype === this.prototype) return;
    this.prototype = prototype;
    this.closedGetter = accessor(prototype, 'closed');
    this.finishedGetter = accessor(prototype, 'writableFinished');
    const on = prototype === null ? undefined : (prototype as Partial<NodeResponseLike>).on;
    this.onFunction = typeof on === 'function' ? on : undefined;
  }
}

/** The getter of `name` where the prototype chain from `prototype` first defines it. */
function accessor(prototype: object | null, name: string): Getter | undefined {
  for (let at = prototype; at !== null; at = Object.getPrototypeOf(at) as object | null) {
    const descriptor = Object.getOwnPropertyDescriptor(at, name);
    if (descriptor !== undefined) return descriptor.get as Getter | undefined;
  }
  return undefined;
}
