import { PrototypeReads } from './prototype-reads';
import type { RequestTracker } from './request-tracker';
import { type ResponseFinishMessage, subscribeResponseFinish } from './response-finish-channel';

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
  /** The connection the response is written to, once it is attached to one. */
  readonly socket?: NodeSocketLike | null;
  on(event: 'close', listener: (this: NodeResponseLike) => void): unknown;
}

/** What the bookkeeping reads of the `net.Socket` a response is written to. */
export interface NodeSocketLike {
  /** The server that accepted the connection. */
  readonly server?: object | null;
  on(event: 'close', listener: (this: NodeSocketLike) => void): unknown;
}

/** Options of `ResponseTrackers`. */
export interface ResponseTrackersOptions {
  /**
   * Where a response's tracker is kept: `'property'` (default), a symbol-keyed property of
   * the response, the cheapest for responses of one shape; `'weakMap'`, for frameworks
   * that give every response a hidden class of its own (Express 5 swaps the prototype of
   * `res`, per request), where adding a property costs far more than a WeakMap entry. There
   * `closed`, `writableFinished` and `on` are also taken from the response's prototype
   * chain (`PrototypeReads`), as reading them through such a response misses V8's caches.
   */
  readonly where?: 'property' | 'weakMap';
}

/**
 * The tracker of each Node response being measured, until the response is done — the
 * per-request state of the Node-based adapters (Express, Koa, Fastify, Hono on
 * @hono/node-server). Kept on the response under a symbol of this instance: a WeakMap entry
 * cost about four times as many instructions per request (V8 hashes the response and
 * inserts into an ephemeron table). Cleared (not deleted, which would turn the response
 * into a dictionary) once the request is settled.
 *
 * How a request is settled, once:
 * - On a server known to publish Node's `http.server.response.finish` diagnostics channel,
 *   by that channel when the response finishes (one subscriber for the process, no listener
 *   per response: `res.on('close')` was ~0.5–1 k instructions a request), and as an abort
 *   (499) by one `close` listener per connection if the connection closes first.
 * - Otherwise (a server not yet seen to publish, Bun's or Deno's, HTTP/2 compatibility
 *   responses, a response not attached to a socket yet), by one shared `close` listener on
 *   the response: `close` follows `finish` or a client abort. A server is known to publish
 *   once the channel has delivered one of its tracked responses.
 * Every listener is contained: a fault in it is counted by the tracker's `HttpMetrics`
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
  /** On a socket: the tracked responses written to it that have not finished. */
  private readonly watchKey: symbol = Symbol('promkit watched responses');
  /** On a server: `true` once the finish channel delivered one of its tracked responses. */
  private readonly publishesKey: symbol = Symbol('promkit server publishes finish');
  /** Set with `where: 'weakMap'`. */
  private readonly trackers: WeakMap<object, RequestTracker<Req, Res>> | undefined;
  private readonly onClose: (this: NodeResponseLike) => void;
  private readonly onSocketClose: (this: NodeSocketLike) => void;
  private readonly onFinish: (message: ResponseFinishMessage) => void;
  /** Set with `where: 'weakMap'`. */
  private readonly reads: PrototypeReads | undefined;
  /** Whether `onFinish` is subscribed to the finish channel; undefined until the first track. */
  private finishes: boolean | undefined = undefined;

  constructor(options: ResponseTrackersOptions = {}) {
    const { key, watchKey, publishesKey } = this;
    const trackers = options.where === 'weakMap' ? new WeakMap() : undefined;
    this.trackers = trackers;
    const reads = trackers === undefined ? undefined : new PrototypeReads();
    this.reads = reads;
    const take = (res: object): RequestTracker<Req, Res> | undefined => {
      if (trackers === undefined) {
        const slots = res as Slots<Req, Res>;
        const t = slots[key];
        if (t !== undefined) slots[key] = undefined;
        return t;
      }
      const t = trackers.get(res);
      if (t !== undefined) trackers.delete(res);
      return t;
    };
    const settle = (res: NodeResponseLike, t: RequestTracker<Req, Res>): void => {
      try {
        const finished = reads === undefined ? res.writableFinished : reads.writableFinished(res);
        t.close(finished, res.statusCode);
      } catch (error) {
        t.fault('adapter', error);
      }
    };
    this.onClose = function onResponseClose(this: NodeResponseLike): void {
      const t = take(this);
      if (t !== undefined) settle(this, t);
    };
    this.onSocketClose = function onSocketClose(this: NodeSocketLike): void {
      const socket = this as unknown as Watched;
      const watched = socket[watchKey];
      if (watched === undefined) return;
      socket[watchKey] = undefined;
      for (const res of watched) {
        const t = take(res);
        if (t !== undefined) settle(res, t);
      }
    };
    this.onFinish = function onResponseFinish(message: ResponseFinishMessage): void {
      let t: RequestTracker<Req, Res> | undefined;
      try {
        const res = message.response as NodeResponseLike;
        t = take(res);
        if (t === undefined) return;
        const server = message.server as Publishes | null | undefined;
        if (server != null && server[publishesKey] !== true) server[publishesKey] = true;
        const socket = message.socket as Watched | null | undefined;
        const watched = socket?.[watchKey];
        if (watched !== undefined) unwatch(watched, res);
        t.end(res.statusCode);
      } catch (error) {
        try {
          t?.fault('adapter', error);
        } catch {
          // Nothing may leave a diagnostics channel subscriber: Node would rethrow it.
        }
      }
    };
  }

  /**
   * Remembers `t` as the tracker of `res` and settles it when `res` is done. A response
   * that closed already (another middleware answered first) is settled on the next
   * microtask instead of never.
   */
  track(res: NodeResponseLike, t: RequestTracker<Req, Res>): void {
    const trackers = this.trackers;
    const reads = this.reads;
    let closed: boolean | undefined;
    if (trackers === undefined || reads === undefined) {
      (res as unknown as Slots<Req, Res>)[this.key] = t;
      closed = res.closed;
    } else {
      trackers.set(res, t);
      closed = reads.closed(res);
    }
    if (closed === true) {
      queueMicrotask(() => this.onClose.call(res));
      return;
    }
    if (this.finishes === undefined) this.finishes = subscribeResponseFinish(this.onFinish);
    const socket = res.socket;
    if (
      this.finishes &&
      socket != null &&
      (socket.server as Publishes | null | undefined)?.[this.publishesKey] === true
    ) {
      const slots = socket as unknown as Watched;
      const watched = slots[this.watchKey];
      if (watched !== undefined) {
        watched.push(res);
        return;
      }
      slots[this.watchKey] = [res];
      socket.on('close', this.onSocketClose);
      return;
    }
    if (reads === undefined) res.on('close', this.onClose);
    else reads.onClose(res, this.onClose);
  }

  /** The tracker of the request `res` answers, while it is being measured. */
  get(res: object): RequestTracker<Req, Res> | undefined {
    if (this.trackers === undefined) return (res as Slots<Req, Res>)[this.key];
    return this.trackers.get(res);
  }
}

/** Drops `res` from its socket's watched responses (usually the first and only one). */
function unwatch(watched: NodeResponseLike[], res: NodeResponseLike): void {
  if (watched[0] === res) {
    watched.shift();
    return;
  }
  const at = watched.indexOf(res);
  if (at !== -1) watched.splice(at, 1);
}

/** A response seen as the holder of trackers (one slot per `ResponseTrackers`). */
type Slots<Req, Res> = Record<symbol, RequestTracker<Req, Res> | undefined>;
/** A socket seen as the holder of its watched responses (one slot per `ResponseTrackers`). */
type Watched = Record<symbol, NodeResponseLike[] | undefined>;
/** A server seen as the holder of whether it publishes the finish channel. */
type Publishes = Record<symbol, boolean | undefined>;
