import type { Labels } from '../model';
import { ABORTED_STATUS } from './http-options';
import type { InstrumentationStage } from './instrumentation-faults';
import { requestSeconds } from './request-clock';

/** What a tracker reports to: the `HttpMetrics` that started it (not exported from the package). */
export interface TrackerOwner<Req, Res> {
  record(t: RequestTracker<Req, Res>, status: number, aborted: boolean): void;
  discard(): void;
  fault(stage: InstrumentationStage, error: unknown): void;
}

/**
 * One request being measured. Every method is idempotent: the first `end()`, `aborted()`
 * or `ignore()` settles the request and later calls do nothing, so an adapter may call
 * them from every hook that might fire.
 */
export class RequestTracker<Req = unknown, Res = unknown> {
  // Fields are declared and assigned in the constructor: class fields are defined one by
  // one (`Object.defineProperty` semantics), which costs more per request than stores.
  /** The route template, once the framework has matched one. */
  declare template: string | undefined;
  /** Whether looking up the route failed: recorded under `<unknown>`. */
  declare routeUnknown: boolean;
  /** Whether the handler threw. */
  declare errored: boolean;
  /** Whether the request was recorded, ignored or dropped as excluded. */
  declare done: boolean;
  /** The sampled OpenTelemetry span the request started in, as exemplar labels. */
  declare trace: Labels | undefined;
  // When the request started, in seconds of `requestSeconds()`'s clock (only differences
  // of its readings mean anything).
  declare readonly startSeconds: number;
  declare private readonly owner: TrackerOwner<Req, Res>;
  declare readonly method: string;
  declare readonly rawPath: string;
  declare readonly req: Req;
  declare readonly res: Res;

  constructor(owner: TrackerOwner<Req, Res>, method: string, rawPath: string, req: Req, res: Res) {
    this.owner = owner;
    this.method = method;
    this.rawPath = rawPath;
    this.req = req;
    this.res = res;
    this.template = undefined;
    this.routeUnknown = false;
    this.errored = false;
    this.done = false;
    this.trace = undefined;
    this.startSeconds = requestSeconds();
  }

  /** The route template the framework matched (`/users/:id`). The last call before recording wins. */
  matched(template: string): void {
    this.template = template;
  }

  /**
   * Runs an adapter's lookup of framework internals (`lookup(arg)`) and returns its
   * result; one that throws is counted (stage `route`), marks the route unknown and
   * gives `undefined`.
   */
  lookup<A, T>(lookup: (arg: A) => T, arg: A): T | undefined {
    try {
      return lookup(arg);
    } catch (error) {
      this.routeUnknown = true;
      this.owner.fault('route', error);
      return undefined;
    }
  }

  /** Counts a fault an adapter caught while measuring this request (and reports it to `onError`). */
  fault(stage: InstrumentationStage, error: unknown): void {
    this.owner.fault(stage, error);
  }

  /** The handler threw `error`; it is counted once, and the adapter re-throws it. */
  exception(_error?: unknown): void {
    this.errored = true;
  }

  /** The last byte of a response with `statusCode` was handed to the runtime. */
  end(statusCode: number): void {
    if (this.done) return;
    this.done = true;
    this.owner.record(this, statusCode, false);
  }

  /** The client went away before the response was complete: recorded as status 499. */
  aborted(): void {
    if (this.done) return;
    this.done = true;
    this.owner.record(this, ABORTED_STATUS, true);
  }

  /**
   * The response closed (a Node `close` event): recorded with `statusCode` when all of it
   * was sent, else as an abort. One listener instead of `finish` + `close`.
   */
  close(finished: boolean, statusCode: number): void {
    if (finished) this.end(statusCode);
    else this.aborted();
  }

  /** Not to be recorded after all (the metrics endpoint itself, say); leaves the in-flight gauge. */
  ignore(): void {
    if (this.done) return;
    this.done = true;
    this.owner.discard();
  }

  /** Lets the tracker listen to an `AbortSignal` without a closure per request. */
  handleEvent(): void {
    this.aborted();
  }
}
