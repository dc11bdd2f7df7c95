/**
 * Settles like `promise`, or rejects with `onTimeout()` once `ms` have passed first. The
 * timer does not keep a Node process alive (it is `unref`ed where the runtime can) and is
 * cleared as soon as `promise` settles.
 *
 * @example
 * const families = await withTimeout(store.read(), 2_000, () => new Error('store: no answer'));
 */
export function withTimeout<T>(
  promise: PromiseLike<T>,
  ms: number,
  onTimeout: () => Error = () => new Error(`timed out after ${ms} ms`),
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    (timer as { unref?: () => void }).unref?.();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
