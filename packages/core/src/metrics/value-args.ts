import { describeValue, numericStringHint } from '../describe-value';
import { InvalidValueError } from '../errors';

/**
 * Explains a call to `method(labels?, value)` whose arguments fit neither shape: a
 * first argument that is neither labels nor a number, labels without the value, or a
 * value that is not a number. Only built once a call is known to be wrong.
 */
export function valueArgsError(
  kind: string,
  metric: string,
  method: string,
  first: unknown,
  value: unknown,
): InvalidValueError {
  const at = `${kind} "${metric}": ${method}()`;
  if (first !== undefined && typeof first !== 'number' && !isLabels(first)) {
    return new InvalidValueError(
      `${at} got ${describeValue(first)} as its first argument, where a labels object or a number goes${numericStringHint(first)}`,
    );
  }
  if (value === undefined) {
    if (first === undefined) return new InvalidValueError(`${at} needs a number value, got none`);
    const shown = describeValue(first);
    return new InvalidValueError(
      `${at} needs a number value, got ${shown} and no value: promkit takes (labels, value), e.g. ${method}(${shown.slice(shown.indexOf(' ') + 1)}, 1)`,
    );
  }
  return new InvalidValueError(
    `${at} value must be a number, got ${describeValue(value)}${numericStringHint(value)}`,
  );
}

/**
 * The error of a bound child's `method(value)` given something else: a labels object
 * there gets a pointer to `labels()`.
 */
export function childValueError(
  kind: string,
  metric: string,
  method: string,
  requirement: string,
  value: unknown,
): InvalidValueError {
  const hint = isLabels(value)
    ? ': a bound child takes only the value, its labels were given to labels()'
    : numericStringHint(value);
  return new InvalidValueError(
    `${kind} "${metric}": ${method}() ${requirement}, got ${describeValue(value)}${hint}`,
  );
}

function isLabels(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
