const BRAND = Symbol.for('promkit.error');

export type PromkitErrorCode = `PROMKIT_ERR_${string}`;

/**
 * Base class of every error promkit throws. `instanceof` works across two installed
 * copies of the package: it checks a `Symbol.for` brand and the error code, not the
 * prototype chain.
 */
export class PromkitError extends Error {
  readonly code: PromkitErrorCode;
  declare readonly [BRAND]: true;

  constructor(code: PromkitErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    Object.defineProperty(this, BRAND, { value: true });
    this.name = 'PromkitError';
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isPromkitError(value);
  }
}

export function isPromkitError(value: unknown): value is PromkitError {
  return (
    typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true
  );
}

export interface PromkitErrorClass<C extends PromkitErrorCode> {
  new (message: string, options?: { cause?: unknown }): PromkitError & { readonly code: C };
  readonly code: C;
}

/**
 * Makes a named error class with a fixed code. Every package defines its errors with
 * it, so the classes stay one line each.
 *
 * @example
 * export const PushError = createError('PushError', 'PROMKIT_ERR_PUSH');
 * export type PushError = InstanceType<typeof PushError>;
 */
export function createError<C extends PromkitErrorCode>(
  name: string,
  code: C,
): PromkitErrorClass<C> {
  const ErrorClass = class extends PromkitError {
    static readonly code = code;
    declare readonly code: C;
    constructor(message: string, options?: { cause?: unknown }) {
      super(code, message, options);
      this.name = name;
    }
    static override [Symbol.hasInstance](value: unknown): boolean {
      return isPromkitError(value) && value.code === code;
    }
  };
  Object.defineProperty(ErrorClass, 'name', { value: name });
  return ErrorClass;
}

/** A metric, label or unit name that the Prometheus data model does not allow. */
export const InvalidNameError = createError('InvalidNameError', 'PROMKIT_ERR_INVALID_NAME');
export type InvalidNameError = InstanceType<typeof InvalidNameError>;

/** A label name reserved by the metric type (`le`, `quantile`) or the `__` prefix. */
export const ReservedLabelError = createError('ReservedLabelError', 'PROMKIT_ERR_RESERVED_LABEL');
export type ReservedLabelError = InstanceType<typeof ReservedLabelError>;

/** A second collector with a name a registry already holds. */
export const DuplicateMetricError = createError(
  'DuplicateMetricError',
  'PROMKIT_ERR_DUPLICATE_METRIC',
);
export type DuplicateMetricError = InstanceType<typeof DuplicateMetricError>;

/**
 * Two metric names that escaping makes one (`a.b` and `a_b` are both `a_b` for a scraper
 * that does not accept UTF-8 names).
 */
export const NameCollisionError = createError('NameCollisionError', 'PROMKIT_ERR_NAME_COLLISION');
export type NameCollisionError = InstanceType<typeof NameCollisionError>;

/** A label set that does not match the declared `labelNames` (missing, extra, non-string). */
export const LabelSetError = createError('LabelSetError', 'PROMKIT_ERR_LABEL_SET');
export type LabelSetError = InstanceType<typeof LabelSetError>;

/** A sample value the metric cannot take: negative counter increment, NaN, Infinity, … */
export const InvalidValueError = createError('InvalidValueError', 'PROMKIT_ERR_INVALID_VALUE');
export type InvalidValueError = InstanceType<typeof InvalidValueError>;

/**
 * Arguments given in an order the method does not take, e.g. the exemplar before the value in
 * `incWithExemplar(labels, value, exemplar)`. The message shows the call shape to use.
 */
export const ArgumentOrderError = createError('ArgumentOrderError', 'PROMKIT_ERR_ARGUMENT_ORDER');
export type ArgumentOrderError = InstanceType<typeof ArgumentOrderError>;

/** Bad metric configuration: buckets, quantiles, window, options that contradict. */
export const ConfigError = createError('ConfigError', 'PROMKIT_ERR_CONFIG');
export type ConfigError = InstanceType<typeof ConfigError>;

/** A collector that failed or timed out during a scrape. */
export const CollectError = createError('CollectError', 'PROMKIT_ERR_COLLECT');
export type CollectError = InstanceType<typeof CollectError>;

/**
 * The metrics' backing store (e.g. Redis) cannot answer right now. Scrapes reject with it
 * so HTTP handlers answer 503 instead of serving incomplete numbers.
 */
export const StoreUnavailableError = createError(
  'StoreUnavailableError',
  'PROMKIT_ERR_STORE_UNAVAILABLE',
);
export type StoreUnavailableError = InstanceType<typeof StoreUnavailableError>;

/**
 * HTTP instrumentation failed inside a framework hook or listener (a throwing `labels`
 * or `normalizePath` hook, a route lookup, a metric update). Never thrown: handed to
 * `onError` and counted in `promkit_instrumentation_errors_total`.
 */
export const InstrumentationError = createError(
  'InstrumentationError',
  'PROMKIT_ERR_INSTRUMENTATION',
);
export type InstrumentationError = InstanceType<typeof InstrumentationError>;

/**
 * A protobuf writer used out of order: `ldelim()` without an open `fork()`, or `finish()`
 * while a `fork()` is still open.
 */
export const WireEncodingError = createError('WireEncodingError', 'PROMKIT_ERR_WIRE_ENCODING');
export type WireEncodingError = InstanceType<typeof WireEncodingError>;
