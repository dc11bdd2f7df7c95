import type { Labels, MetricFamily } from '../model';
import { escapeLabelValue } from './escape';
import { type EscapingScheme, escapeName, isLegacyLabelName, quoteName } from './name-escaping';

/** Told about two names that one scrape's escaping made equal; the second is left out. */
export type CollisionReporter = (message: string) => void;

/**
 * The families as one scrape's escaping scheme spells their names. Under `allow-utf-8`
 * names stay; with `text`, label names outside the legacy set are quoted in the label
 * text (the writers quote family names themselves). Under the other schemes metric and
 * label names are escaped; a family or label whose escaped name another already took is
 * left out and reported, so the page stays parseable. Families with nothing to change
 * are passed through as they are.
 */
export function escapeFamilies(
  families: readonly MetricFamily[],
  scheme: EscapingScheme,
  text: boolean,
  report: CollisionReporter,
): MetricFamily[] {
  const out: MetricFamily[] = [];
  const taken = new Map<string, string>();
  for (const family of families) {
    const name = escapeName(family.name, scheme);
    const earlier = taken.get(name);
    if (earlier !== undefined) {
      report(
        `metrics ${JSON.stringify(earlier)} and ${JSON.stringify(family.name)} are both ${JSON.stringify(name)} under escaping=${scheme}; the second is left out of this scrape`,
      );
      continue;
    }
    taken.set(name, family.name);
    let points: unknown[] | undefined;
    for (let i = 0; i < family.points.length; i++) {
      const point = family.points[i]!;
      const labels = escapeLabels(family.name, point.labels, scheme, report);
      if (labels === undefined) continue;
      points ??= family.points.slice(0, i);
      points[i] = { ...point, labels, labelText: text ? quotedLabelText(labels) : undefined };
    }
    if (points !== undefined) {
      for (let i = 0; i < family.points.length; i++) points[i] ??= family.points[i];
    }
    out.push(
      name === family.name && points === undefined
        ? family
        : ({ ...family, name, points: points ?? family.points } as MetricFamily),
    );
  }
  return out;
}

/** The escaped label set, or undefined when every name stays as it is. */
function escapeLabels(
  metric: string,
  labels: Labels,
  scheme: EscapingScheme,
  report: CollisionReporter,
): Labels | undefined {
  let changed = false;
  for (const name in labels) {
    if (!isLegacyLabelName(name) || (scheme === 'dots' && name.includes('_'))) {
      changed = true;
      break;
    }
  }
  if (!changed || scheme === 'allow-utf-8') return changed ? labels : undefined;
  const out: Record<string, string> = {};
  for (const name in labels) {
    const escaped = escapeName(name, scheme, true);
    if (escaped in out) {
      report(
        `metric ${JSON.stringify(metric)}: two labels are both ${JSON.stringify(escaped)} under escaping=${scheme}; ${JSON.stringify(name)} is left out of this scrape`,
      );
      continue;
    }
    out[escaped] = labels[name]!;
  }
  return out;
}

/** `a="x","b.c"="y"`: label text with names outside the legacy set quoted. */
function quotedLabelText(labels: Labels): string {
  const parts: string[] = [];
  for (const name in labels) {
    const key = isLegacyLabelName(name) ? name : quoteName(name);
    parts.push(`${key}="${escapeLabelValue(labels[name]!)}"`);
  }
  return parts.join(',');
}
