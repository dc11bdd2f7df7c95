import { PrototypeReads } from './prototype-reads';
import type { RequestTracker } from './request-tracker';

/**
 * What the bookkeeping reads of a Node `http.ServerResponse`: structural, so core imports
 * nothing from `node:` and any Node-compatible server (Bun's, Deno's) fits.
 */
export interface NodeResponseLike {
  readonly statusCode: number;
  /** True once `finish` fired: the last byte was handed to the socket. */
  readonly writableFinished: boolean;
  /** `true` once the response emitted `close` (Node ≥ 18). */
  readonly closed?: boolean;
  on(event: 'close', listener: (this: NodeResponseLike) => void): unknown;
}

/** Options of `ResponseTrackers`. */
export interface ResponseTrackersOptions {
  /**
   * Where a response's tracker is kept: `'property'` (default), a symbol-keyed property of
   * the response, the cheapest for responses of one shape; `'weakMap'`, for frameworks
   * that give every response a hidden class of its own (Express 5 swaps the prototype of
   * `res` per request), where adding a property costs far more than a WeakMap entry. There
   * `closed`, `writableFinished` and `on` are also taken from the response's prototype
   * chain (`PrototypeReads`), as reading them through such a response misses V8's caches.
   */
  readonly where?: 'property' | 'weakMap';
}

/**
 * The tracker of each Node response being measured, until the response closes — the
 * per-request state of the Node-based adapters (Express, Koa, Fastify, Hono on
 * @hono/node-server). Kept on the response under a symbol of this instance: a WeakMap entry
 * cost about four times as many instructions per request (V8 hashes the response and
 * inserts into an ephemeron table). Cleared (not deleted, which would turn the response
 * into a dictionary) when the response closes. One shared `close` listener (no closure per
 * request): `close` follows `finish` or a client abort, so it settles every request once.
 * The listener is contained: a fault in it is counted by the tracker's `HttpMetrics`
 * (stage `adapter`), never thrown into the server.
 *
 * @example
 * const responses = new ResponseTrackers<Request, Response>();
 * const t = http.start(req.method, req.url, req, res);
 * if (t !== undefined) responses.track(res, t);
 * // in the metrics handler: responses.get(res)?.ignore();
 */
export class ResponseTrackers<Req = unknown, Res = unknown> {
  private readonly key: symbol = Symbol('promkit request tracker');
  /** Set with `where: 'weakMap'`. */
  private readonly trackers: WeakMap<object, RequestTracker<Req, Res>> | undefined;
  private readonly onClose: (this: NodeResponseLike) => void;
  /** Set with `where: 'weakMap'`. */
  private readonly reads: PrototypeReads | undefined;

  constructor(options: ResponseTrackersOptions = {}) {
    const key = this.key;
    const trackers = options.where === 'weakMap' ? new WeakMap() : undefined;
    this.trackers = trackers;
    const reads = trackers === undefined ? undefined : new PrototypeReads();
    this.reads = reads;
    this.onClose = function onResponseClose(this: NodeResponseLike): void {
      let t: RequestTracker<Req, Res> | undefined;
      if (trackers === undefined) {
        const slots = this as unknown as Slots<Req, Res>;
        t = slots[key];
        if (t === undefined) return;
        slots[key] = undefined;
      } else {
        t = trackers.get(this);
        if (t === undefined) return;
        trackers.delete(this);
      }
      try {
        const finished = reads === undefined ? this.writableFinished : reads.writableFinished(this);
        t.close(finished, this.statusCode);
      } catch (error) {
        t.fault('adapter', error);
      }
    };
  }

  /**
   * Remembers `t` as the tracker of `res` and settles it when `res` closes. A response
   * that closed already (another middleware answered first) is settled on the next
   * microtask instead of never.
   */
  track(res: NodeResponseLike, t: RequestTracker<Req, Res>): void {
    const trackers = this.trackers;
    const reads = this.reads;
    if (trackers === undefined || reads === undefined) {
      (res as unknown as Slots<Req, Res>)[this.key] = t;
      if (res.closed === true) queueMicrotask(() => this.onClose.call(res));
      else res.on('close', this.onClose);
      return;
    }
    trackers.set(res, t);
    if (reads.closed(res) === true) queueMicrotask(() => this.onClose.call(res));
    else reads.onClose(res, this.onClose);
  }

  /** The tracker of the request `res` answers, while it is being measured. */
  get(res: object): RequestTracker<Req, Res> | undefined {
    if (this.trackers === undefined) return (res as Slots<Req, Res>)[this.key];
    return this.trackers.get(res);
  }
}

/** A response seen as the holder of trackers (one slot per `ResponseTrackers`). */
type Slots<Req, Res> = Record<symbol, RequestTracker<Req, Res> | undefined>;
