import { monotonicSeconds } from './clock';
import { isThenable } from './thenable';
import type { LabelValue } from './labels';

type AnyFunction = (this: unknown, ...args: never[]) => unknown;
type Labels = Readonly<Record<string, LabelValue>>;

/** Anything that records a duration: a Histogram, a Summary, or their bound children. */
export interface Observer {
  observe(labels: Labels | undefined, value: number): void;
}
export interface Incrementer {
  inc(labels?: Labels, value?: number): void;
}
export interface UpDown {
  inc(labels?: Labels, value?: number): void;
  dec(labels?: Labels, value?: number): void;
}

/**
 * A wrapper that works both ways: call it with a function to get the wrapped function,
 * or use it as a TC39 method decorator (`@timer(histogram)`).
 */
export interface FunctionWrapper {
  <F extends AnyFunction>(fn: F, context?: ClassMethodDecoratorContext): F;
}

function wrap(
  around: (call: () => unknown) => unknown,
): FunctionWrapper {
  return <F extends AnyFunction>(fn: F): F => {
    const wrapped = function (this: unknown, ...args: never[]) {
      return around(() => fn.apply(this, args));
    };
    Object.defineProperty(wrapped, 'name', { value: fn.name });
    return wrapped as unknown as F;
  };
}

/** Runs `call`, then `after` once it returned, threw, or its promise settled. */
function settle(call: () => unknown, after: (failed: boolean) => void): unknown {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    after(true);
    throw error;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      (value) => {
        after(false);
        return value;
      },
      (error: unknown) => {
        after(true);
        throw error;
      },
    );
  }
  after(false);
  return result;
}

/**
 * Observes how long each call takes, in seconds (sync or async, failures included).
 *
 * @example
 * const handle = timer(latency, { route: '/pay' })(async (req) => pay(req));
 */
export function timer(metric: Observer, labels?: Labels): FunctionWrapper {
  return wrap((call) => {
    const start = monotonicSeconds();
    return settle(call, () => metric.observe(labels, monotonicSeconds() - start));
  });
}

/**
 * Counts calls in progress on a gauge: +1 on entry, −1 when the call settles.
 *
 * @example
 * const work = inprogress(busy)(() => crunch());
 */
export function inprogress(gauge: UpDown, labels?: Labels): FunctionWrapper {
  return wrap((call) => {
    gauge.inc(labels, 1);
    return settle(call, () => gauge.dec(labels, 1));
  });
}

/**
 * Counts calls that threw or rejected; the error is re-thrown unchanged.
 *
 * @example
 * const parse = countExceptions(failures)(JSON.parse);
 */
export function countExceptions(counter: Incrementer, labels?: Labels): FunctionWrapper {
  return wrap((call) =>
    settle(call, (failed) => {
      if (failed) counter.inc(labels, 1);
    }),
  );
}
