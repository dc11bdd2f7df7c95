import type { Labels } from './model';

/** A label value as callers may pass it; numbers are stringified. */
export type LabelValue = string | number;

/**
 * The label object a metric accepts. With declared `labelNames` (`as const`) every
 * name is required and no other is allowed; without them any label set is accepted.
 */
export type LabelValues<N extends string> = { readonly [K in N]: LabelValue };

/** True when the metric declared no label names (or an empty list). */
type NoLabels<N extends string> = [N] extends [never] ? true : false;
/** True when `N` is plain `string`: labels were not declared, any set is accepted. */
type AnyLabels<N extends string> = string extends N ? true : false;

/** Argument list of `inc`/`add`/`set`/`observe`: labels first, like aioprometheus. */
export type ValueArgs<N extends string> =
  NoLabels<N> extends true
    ? [value?: number]
    : AnyLabels<N> extends true
      ? [value?: number] | [labels: LabelValues<N> | undefined, value?: number]
      : [labels: LabelValues<N>, value?: number];

/**
 * Argument list of `incWithExemplar`/`observeWithExemplar`: the `inc`/`observe` arguments
 * with the value required and the exemplar's labels (e.g. `traceExemplar()`, `undefined`
 * when there is none) last.
 */
export type ExemplarArgs<N extends string> =
  NoLabels<N> extends true
    ? [value: number, exemplar: Labels | undefined]
    : AnyLabels<N> extends true
      ?
          | [value: number, exemplar: Labels | undefined]
          | [labels: LabelValues<N> | undefined, value: number, exemplar: Labels | undefined]
      : [labels: LabelValues<N>, value: number, exemplar: Labels | undefined];

/** Argument list for calls that take only labels (`labels()`, `get()`, `startTimer()`). */
export type LabelArgs<N extends string> =
  NoLabels<N> extends true
    ? []
    : AnyLabels<N> extends true
      ? [labels?: LabelValues<N>]
      : [labels: LabelValues<N>];

/**
 * The `end` function of `histogram.startTimer(labels)`: it takes the declared labels the
 * start left out, so a timer can only be ended with a complete label set. Labels given
 * at the end override those given at the start.
 */
export type TimerEnd<N extends string, Given extends string> =
  NoLabels<N> extends true
    ? (endLabels?: LabelValues<never>) => number
    : AnyLabels<N> extends true
      ? (endLabels?: LabelValues<string>) => number
      : [Exclude<N, Given>] extends [never]
        ? (endLabels?: Partial<LabelValues<N>>) => number
        : (endLabels: LabelValues<Exclude<N, Given>> & Partial<LabelValues<N>>) => number;

/** The start labels of a timer: declared names only (any name when none are declared). */
export type TimerStartLabels<N extends string, G> = G & {
  readonly [K in Exclude<keyof G, N>]: never;
};
