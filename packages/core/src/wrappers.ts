import { monotonicSeconds } from './clock';
import type { LabelArgs, LabelValues } from './labels';
import type { Counter } from './metrics/counter';
import type { Gauge } from './metrics/gauge';
import type { Histogram } from './metrics/histogram';
import type { Summary } from './metrics/summary';
import { isThenable } from './thenable';

type AnyFunction = (this: never, ...args: never[]) => unknown;

/**
 * A wrapper that works both ways: call it with a function to get the wrapped function,
 * or use it as a TC39 method decorator (`@timer(histogram)`).
 */
export type FunctionWrapper = <F extends AnyFunction>(
  fn: F,
  context?: ClassMethodDecoratorContext,
) => F;

/** Resolves the bound series of `metric` for `labels` (a metric's overloads, seen loosely). */
function child<C, N extends string>(
  metric: { labels(...args: LabelArgs<N>): C },
  labels: LabelValues<N> | undefined,
): C {
  return (metric.labels as (l?: LabelValues<N>) => C).call(metric, labels);
}

function wrap(around: (call: () => unknown) => unknown): FunctionWrapper {
  return <F extends AnyFunction>(fn: F): F => {
    const wrapped = function (this: unknown, ...args: unknown[]) {
      return around(() => (fn as unknown as (...a: unknown[]) => unknown).apply(this, args));
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
 * const pay = timer(latency, { route: '/pay' })(async (req) => charge(req));
 */
export function timer<N extends string>(
  metric: Histogram<N> | Summary<N>,
  ...labels: LabelArgs<N>
): FunctionWrapper {
  const target = labels[0] as LabelValues<N> | undefined;
  return wrap((call) => {
    const start = monotonicSeconds();
    return settle(call, () =>
      child<{ observe(v: number): void }, N>(metric, target).observe(monotonicSeconds() - start),
    );
  });
}

/**
 * Counts calls in progress on a gauge: +1 on entry, −1 when the call settles.
 *
 * @example
 * const crunch = inprogress(busy)(() => work());
 */
export function inprogress<N extends string>(
  gauge: Gauge<N>,
  ...labels: LabelArgs<N>
): FunctionWrapper {
  const target = labels[0] as LabelValues<N> | undefined;
  return wrap((call) => {
    const series = child(gauge, target);
    series.inc(1);
    return settle(call, () => series.dec(1));
  });
}

/**
 * Counts calls that threw or rejected; the error is re-thrown unchanged.
 *
 * @example
 * const parse = countExceptions(parseFailures)(JSON.parse);
 */
export function countExceptions<N extends string>(
  counter: Counter<N>,
  ...labels: LabelArgs<N>
): FunctionWrapper {
  const target = labels[0] as LabelValues<N> | undefined;
  return wrap((call) =>
    settle(call, (failed) => {
      if (failed) child(counter, target).inc(1);
    }),
  );
}
