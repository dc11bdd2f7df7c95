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

/**
 * The tracker of each Node response being measured, until the response closes — the
 * per-request state of the Node-based adapters (Express, Koa, Fastify, Hono on
 * @hono/node-server). A WeakMap rather than a property on the response: Express swaps the
 * prototype of `res` on every request, after which V8 builds a new hidden class for each
 * property added to it, per request. One shared `close` listener (no closure per request):
 * `close` follows `finish` or a client abort, so it settles every request once. The
 * listener is contained: a fault in it is counted by the tracker's `HttpMetrics` (stage
 * `adapter`), never thrown into the server.
 *
 * @example
 * const responses = new ResponseTrackers<Request, Response>();
 * const t = http.start(req.method, req.url, req, res);
 * if (t !== undefined) responses.track(res, t);
 * // in the metrics handler: responses.get(res)?.ignore();
 */
export class ResponseTrackers<Req = unknown, Res = unknown> {
  private readonly trackers = new WeakMap<object, RequestTracker<Req, Res>>();
  private readonly onClose: (this: NodeResponseLike) => void;

  constructor() {
    const trackers = this.trackers;
    this.onClose = function onResponseClose(this: NodeResponseLike): void {
      const t = trackers.get(this);
      if (t === undefined) return;
      trackers.delete(this);
      try {
        t.close(this.writableFinished, this.statusCode);
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
    this.trackers.set(res, t);
    if (res.closed === true) queueMicrotask(() => this.onClose.call(res));
    else res.on('close', this.onClose);
  }

  /** The tracker of the request `res` answers, while it is being measured. */
  get(res: object): RequestTracker<Req, Res> | undefined {
    return this.trackers.get(res);
  }
}
