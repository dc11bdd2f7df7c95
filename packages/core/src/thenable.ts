/** Whether a function's result is a promise (or any thenable) to wait for. */
export function isThenable<T>(value: T): value is T & PromiseLike<Awaited<T>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
