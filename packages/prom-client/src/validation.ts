import { inspect } from 'node:util';

// The name rules prom-client 15 checks (Prometheus' classic data model).
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Whether `name` is a valid metric name, as prom-client's `validateMetricName`. */
export function validateMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** Whether every entry of `names` is a valid label name. */
export function validateLabelName(names: readonly string[] = []): boolean {
  return names.every((name) => LABEL_NAME.test(name));
}

/** Throws prom-client's error when `labels` holds a label outside `allowed`. */
export function validateLabel(allowed: readonly string[], labels: object): void {
  for (const label in labels) {
    if (!allowed.includes(label)) throw unknownLabel(label, allowed);
  }
}

export function unknownLabel(label: string, allowed: readonly string[]): Error {
  return new Error(
    `Added label "${label}" is not included in initial labelset: ${inspect(allowed)}`,
  );
}
