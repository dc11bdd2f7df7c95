import { epochSeconds } from '../clock';
import { InvalidValueError } from '../errors';
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

/** Validates and copies exemplar labels for `metric`, stamping the current time. */
export function makeExemplar(metric: string, labels: Labels, value: number): Exemplar {
  // The HTTP instrumentation's trace labels: checking them again per request was most of
  // an exemplar's cost.
  if (labels instanceof CheckedExemplarLabels) return { labels, value, timestamp: epochSeconds() };
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
