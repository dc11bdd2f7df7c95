import { epochSeconds } from '../clock';
import { ArgumentOrderError, InvalidValueError } from '../errors';
import type { Exemplar, Labels } from '../model';
import { validateLabelName } from '../validate';
import { wellFormed } from '../well-formed';

/** OpenMetrics caps the combined length of an exemplar's label names and values. */
const MAX_EXEMPLAR_RUNES = 128;

/**
 * Exemplar labels promkit built and checked itself (valid names, well-formed values, within
 * the limit), so `makeExemplar` takes them as they are. A class, not a WeakSet or a frozen
 * object: either of those cost more per request than the rest of the exemplar.
 */
export class CheckedExemplarLabels {
  [name: string]: string;
}

/**
 * The timestamp of the exemplars the HTTP instrumentation is recording for one request,
 * set only around those (synchronous) records: one clock reading for all of them.
 */
let requestStamp: number | undefined;

/** Stamps the `CheckedExemplarLabels` exemplars made until it is called with `undefined`. */
export function stampRequestExemplars(seconds: number | undefined): void {
  requestStamp = seconds;
}

/** Validates and copies exemplar labels for `metric`, stamping the current time. */
export function makeExemplar(metric: string, labels: Labels, value: number): Exemplar {
  // The HTTP instrumentation's trace labels: checking them again per request was most of
  // an exemplar's cost.
  if (labels instanceof CheckedExemplarLabels) {
    return { labels, value, timestamp: requestStamp ?? epochSeconds() };
  }
  let runes = 0;
  const owned: Record<string, string> = {};
  for (const name of Object.keys(labels)) {
    validateLabelName(metric, name, []);
    const v = labels[name];
    if (typeof v !== 'string') {
      throw new InvalidValueError(`Metric "${metric}": exemplar label "${name}" must be a string`);
    }
    if (v.includes('\u0000')) {
      // Measured with Prometheus 2.42: its OpenMetrics parser rejects the whole page
      // ("expected label value, got INVALID") for a NUL in an exemplar label value, so
      // one exemplar would cost every series of the scrape.
      throw new InvalidValueError(
        `Metric "${metric}": exemplar label "${name}" contains a NUL character (U+0000), which Prometheus' OpenMetrics parser rejects; got ${JSON.stringify(v)}`,
      );
    }
    runes += [...name].length + [...v].length;
    owned[name] = wellFormed(v);
  }
  if (runes > MAX_EXEMPLAR_RUNES) {
    throw new InvalidValueError(
      `Metric "${metric}": exemplar labels are ${runes} characters long, OpenMetrics allows ${MAX_EXEMPLAR_RUNES}`,
    );
  }
  return { labels: Object.freeze(owned), value, timestamp: epochSeconds() };
}

/**
 * Checks the value and exemplar of an `incWithExemplar`/`observeWithExemplar` call, read as
 * `(labels?, value, exemplar)`; `undefined` for the exemplar (no trace active) only records
 * the value. Fails with a hint when value and exemplar are swapped (the counter's former
 * order) — they differ in type, so a wrong-order call is always detectable. Allocates nothing:
 * it runs per request in the HTTP instrumentation.
 */
export function checkExemplarCall(
  metric: string,
  method: string,
  value: unknown,
  exemplar: unknown,
): asserts value is number {
  if (typeof value === 'number' && (exemplar === undefined || isLabelObject(exemplar))) return;
  const shape = `${method}(labels, value, exemplar)`;
  const got = `got value ${show(value)} and exemplar ${show(exemplar)}`;
  if (isLabelObject(value) || (value === undefined && typeof exemplar === 'number')) {
    throw new ArgumentOrderError(
      `Metric "${metric}": ${shape} takes the value before the exemplar, ${got}; swap them, e.g. ${method}(labels, 1, { trace_id })`,
    );
  }
  throw new InvalidValueError(
    `Metric "${metric}": ${shape} needs a number value and an exemplar label object (or undefined), ${got}`,
  );
}

function isLabelObject(value: unknown): value is Labels {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value);
}
