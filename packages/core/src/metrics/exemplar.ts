import { epochSeconds } from '../clock';
import { InvalidValueError } from '../errors';
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
