import { epochSeconds } from '../clock';
import { ArgumentOrderError, InvalidValueError } from '../errors';
import type { Exemplar, Labels } from '../model';
import { validateLabelName } from '../validate';
import { wellFormed } from '../well-formed';

/** OpenMetrics caps the combined length of an exemplar's label names and values. */
const MAX_EXEMPLAR_RUNES = 128;

/** Validates and copies exemplar labels for `metric`, stamping the current time. */
export function makeExemplar(metric: string, labels: Labels, value: number): Exemplar {
  let runes = 0;
  const owned: Record<string, string> = {};
  for (const name of Object.keys(labels)) {
    validateLabelName(metric, name, []);
    const v = labels[name];
    if (typeof v !== 'string') {
      throw new InvalidValueError(`Metric "${metric}": exemplar label "${name}" must be a string`);
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

/** The labels, value and exemplar of an `incWithExemplar`/`observeWithExemplar` call. */
export interface ExemplarCall {
  labels: unknown;
  value: number;
  exemplar: Labels;
}

/**
 * Reads `(labels?, value, exemplar)` and fails with a hint when the value and the exemplar
 * are swapped (the counter's former order) or either is missing: they differ in type, so a
 * wrong-order call is always detectable.
 */
export function exemplarCall(
  metric: string,
  method: string,
  a: unknown,
  b: unknown,
  c: unknown,
): ExemplarCall {
  const unlabelled = typeof a === 'number';
  const value = unlabelled ? a : b;
  const exemplar = unlabelled ? b : c;
  if (typeof value === 'number' && isLabelObject(exemplar)) {
    return { labels: unlabelled ? undefined : a, value, exemplar };
  }
  const shape = `${method}(labels, value, exemplar)`;
  const got = `got value ${show(value)} and exemplar ${show(exemplar)}`;
  if (isLabelObject(value)) {
    throw new ArgumentOrderError(
      `Metric "${metric}": ${shape} takes the value before the exemplar, ${got}; swap them, e.g. ${method}(labels, 1, { trace_id })`,
    );
  }
  throw new InvalidValueError(
    `Metric "${metric}": ${shape} needs a number value and an exemplar label object, ${got}`,
  );
}

function isLabelObject(value: unknown): value is Labels {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === 'number' || value === undefined ? String(value) : JSON.stringify(value);
}
