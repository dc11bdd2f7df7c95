/** The part of a Node `ServerResponse` the adapters' close listener needs, duck-typed. */
export interface ClosableResponse {
  /** `true` once the response emitted `close` (Node ≥ 18). */
  readonly closed?: boolean;
  on(event: 'close', listener: () => void): unknown;
}

/**
 * Calls `listener` (with the response as `this`) when `res` closes. A response that
 * closed already, before the middleware ran (another middleware answered first), gets
 * it on the next microtask instead of never, so its request still settles.
 *
 * @example
 * onResponseClose(res, onClose);
 */
export function onResponseClose<R extends ClosableResponse>(
  res: R,
  listener: (this: R) => void,
): void {
  if (res.closed === true) queueMicrotask(() => listener.call(res));
  else res.on('close', listener);
}
