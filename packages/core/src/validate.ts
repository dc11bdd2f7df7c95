import { describeValue } from './describe-value';
import { InvalidNameError, ReservedLabelError } from './errors';
import type { Labels } from './model';
import { wellFormed } from './well-formed';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Which metric and label names a registry accepts: `legacy`, the character sets above
 * (what Prometheus 2 stores), or `utf8`, any non-empty well-formed Unicode string (what
 * Prometheus 3 stores; scrapers that do not say so get them escaped).
 */
export type NameValidation = 'legacy' | 'utf8';

/** Non-empty and without lone surrogates, so it encodes to valid UTF-8. */
function isUtf8Name(name: string): boolean {
  return name !== '' && wellFormed(name) === name;
}

/** The one-line reminder of the constructor order, for a call that got it wrong. */
export const ARGUMENT_ORDER_HINT = 'promkit takes (name, help, options)';

/** Checks a metric name; `kind` (`'Counter'`, …) names the constructor in the hint. */
export function validateMetricName(
  name: unknown,
  validation: NameValidation = 'legacy',
  kind = 'Metric',
): asserts name is string {
  if (typeof name === 'object' && name !== null) {
    throw new InvalidNameError(
      `${kind}: got ${describeValue(name)} where the metric name goes: ${ARGUMENT_ORDER_HINT}, e.g. new ${kind}('jobs_total', 'Jobs run.', { labelNames: ['queue'] })`,
    );
  }
  if (typeof name !== 'string') {
    throw new InvalidNameError(`Invalid metric name ${JSON.stringify(name)}: must be a string`);
  }
  if (validation === 'utf8') {
    if (!isUtf8Name(name)) {
      throw new InvalidNameError(
        `Invalid metric name ${JSON.stringify(name)}: must be a non-empty, well-formed UTF-8 string`,
      );
    }
  } else if (!METRIC_NAME.test(name)) {
    throw new InvalidNameError(
      `Invalid metric name ${JSON.stringify(name)}: must match ${METRIC_NAME.source} (or use a registry with nameValidation: 'utf8')`,
    );
  }
}

/**
 * Checks a label name for `metric`. `reserved` are names the metric type itself uses
 * (`le` for histograms, `quantile` for summaries).
 */
export function validateLabelName(
  metric: string,
  name: unknown,
  reserved: readonly string[],
  validation: NameValidation = 'legacy',
): void {
  if (typeof name !== 'string') {
    throw new InvalidNameError(
      `Invalid label name ${JSON.stringify(name)} on metric "${metric}": must be a string`,
    );
  }
  if (validation === 'utf8') {
    if (!isUtf8Name(name)) {
      throw new InvalidNameError(
        `Invalid label name ${JSON.stringify(name)} on metric "${metric}": must be a non-empty, well-formed UTF-8 string`,
      );
    }
  } else if (!LABEL_NAME.test(name)) {
    throw new InvalidNameError(
      `Invalid label name ${JSON.stringify(name)} on metric "${metric}": must match ${LABEL_NAME.source}`,
    );
  }
  if (name.startsWith('__')) {
    throw new ReservedLabelError(
      `Label name "${name}" on metric "${metric}" is reserved: names starting with "__" are for Prometheus internal use`,
    );
  }
  if (reserved.includes(name)) {
    throw new ReservedLabelError(
      `Label name "${name}" on metric "${metric}" is reserved by its metric type`,
    );
  }
}

export function validateConstLabels(
  metric: string,
  constLabels: Labels,
  reserved: readonly string[],
  validation: NameValidation = 'legacy',
): Labels {
  const copy: Record<string, string> = {};
  for (const name of Object.keys(constLabels)) {
    validateLabelName(metric, name, reserved, validation);
    const value = constLabels[name];
    if (typeof value !== 'string') {
      throw new InvalidNameError(
        `Const label "${name}" on metric "${metric}" must be a string, got ${typeof value}`,
      );
    }
    copy[name] = wellFormed(value);
  }
  return Object.freeze(copy);
}
