import { type Labels, labelText, type MetricFamily } from '@promkit/core';
import { deltaText, encodeLabels } from './codec';
import type { GaugeMode } from './gauge-mode';
import {
  isGaugeLike,
  metaOf,
  type SharedInstance,
  type SharedKind,
  type StoredMeta,
  shapeOf,
} from './metric-meta';

/** Where a metric's definition stands in Redis. */
type MetaStatus = 'unsent' | 'confirmed' | 'refused';

/** What has been acknowledged by Redis for one counter/histogram/summary series. */
interface CumulativeSeries {
  /** The series' `created` time: a series removed and made again starts a new baseline. */
  readonly created: number | undefined;
  readonly fields: readonly string[];
  readonly flushed: Float64Array;
  /** Never acknowledged: sent even when every value is 0, so the series shows up at once. */
  fresh: boolean;
}

/** Values to make the new baseline of a series once Redis acknowledged the batch. */
export interface StagedBaseline {
  readonly series: CumulativeSeries;
  readonly values: Float64Array;
}

/** The ARGV sections of a batch, filled metric by metric. */
export interface BatchSections {
  readonly meta: string[];
  readonly increments: string[];
  readonly gaugeSets: string[];
  readonly gaugeDels: string[];
}

/**
 * One registered metric as the store sees it: its definition's status in Redis, the
 * acknowledged baseline of every series (for deltas), and for gauges the values this
 * process last wrote.
 */
export class SharedMetric {
  readonly name: string;
  private meta:
    | { readonly shape: string; readonly json: string; readonly stored: StoredMeta }
    | undefined;
  status: MetaStatus = 'unsent';
  /** Set when the definition can never be shared (reported once). */
  unsupported: string | undefined;
  /** By label text; rebuilt every diff, so removed series are forgotten. */
  private cumulative = new Map<string, CumulativeSeries>();
  /** Gauge-like: field → value text as last acknowledged. */
  private written = new Map<string, string>();

  constructor(
    readonly metric: SharedInstance,
    readonly kind: SharedKind,
    readonly mode: GaugeMode | undefined,
  ) {
    this.name = metric.name;
  }

  /** The definition, read lazily: `register` runs before the metric's fields exist. */
  definition(): { readonly shape: string; readonly json: string; readonly stored: StoredMeta } {
    if (this.meta === undefined) {
      const stored = metaOf(this.metric, this.kind, this.mode);
      this.meta = { shape: shapeOf(stored), json: JSON.stringify(stored), stored };
      if (this.kind === 'histogram' && stored.buckets?.length === 0) {
        this.unsupported = `Histogram "${this.name}" has only native buckets, which cannot be summed across processes: give it classic buckets to share it through Redis`;
      }
    }
    return this.meta;
  }

  /** Forget what Redis was told: it lost this process's data (restart, or expiry). */
  resync(): void {
    if (this.status === 'confirmed') this.status = 'unsent';
    this.written = new Map();
  }

  /**
   * Appends this metric's changes since the last acknowledged batch. Returns what to
   * commit on acknowledgement, and how many operations were added.
   */
  diff(sections: BatchSections, staged: StagedBaseline[]): { ops: number; commit?: () => void } {
    const family = this.metric.collect();
    return isGaugeLike(this.kind)
      ? this.diffGaugeLike(family, sections)
      : { ops: this.diffCumulative(family, sections.increments, staged) };
  }

  private diffCumulative(
    family: MetricFamily,
    increments: string[],
    staged: StagedBaseline[],
  ): number {
    let ops = 0;
    const seen = new Map<string, CumulativeSeries>();
    for (const point of family.points) {
      const values = valuesOf(family, point);
      const key = point.labelText ?? labelText(point.labels);
      const created = (point as { readonly created?: number }).created;
      let series = this.cumulative.get(key);
      if (series === undefined || series.created !== created) {
        series = {
          created,
          fields: fieldsOf(family, point.labels, values.length),
          flushed: new Float64Array(values.length),
          fresh: true,
        };
      }
      seen.set(key, series);
      let changed = false;
      for (let i = 0; i < values.length; i++) {
        const value = values[i]!;
        const before = series.flushed[i]!;
        if (series.fresh || !Object.is(value, before)) {
          increments.push(this.name, series.fields[i]!, deltaText(value - before));
          ops++;
          changed = true;
        }
      }
      if (changed) staged.push({ series, values });
    }
    this.cumulative = seen;
    return ops;
  }

  private diffGaugeLike(
    family: MetricFamily,
    sections: BatchSections,
  ): { ops: number; commit: () => void } {
    const current = new Map<string, string>();
    const groups = new Map<string, string[]>();
    const dirty = new Set<string>();
    for (const point of family.points) {
      const field = this.name + encodeLabels(point.labels);
      const text = family.type === 'info' ? '1' : String((point as { value: number }).value);
      current.set(field, text);
      const group = groupOf(family, point.labels, field);
      const members = groups.get(group);
      if (members === undefined) groups.set(group, [field]);
      else members.push(field);
      if (this.written.get(field) !== text) dirty.add(group);
    }
    let ops = 0;
    for (const group of dirty) {
      for (const field of groups.get(group)!) {
        sections.gaugeSets.push(this.name, field, current.get(field)!);
        ops++;
      }
    }
    for (const field of this.written.keys()) {
      if (!current.has(field)) {
        sections.gaugeDels.push(field);
        ops++;
      }
    }
    return {
      ops,
      commit: () => {
        this.written = current;
      },
    };
  }

  /** Fields this process wrote to its gauge hash (deleted when the metric is unregistered). */
  writtenFields(): string[] {
    return [...this.written.keys()];
  }
}

type Point = MetricFamily['points'][number];

/** The summed values of a series, in the order of `fieldsOf`. */
function valuesOf(family: MetricFamily, point: Point): Float64Array {
  if (family.type === 'histogram') {
    const { counts, count, sum } = (
      point as Extract<Point, { value: { counts: ArrayLike<number> } }>
    ).value;
    const values = new Float64Array(counts.length + 2);
    for (let i = 0; i < counts.length; i++) values[i] = counts[i]!;
    values[counts.length] = count;
    values[counts.length + 1] = sum;
    return values;
  }
  if (family.type === 'summary') {
    const { count, sum } = (point as Extract<Point, { value: { quantiles: unknown } }>).value;
    return Float64Array.of(count, sum);
  }
  return Float64Array.of((point as { value: number }).value);
}

/** Field names: counter `[labels]`; histogram `b0…bN[labels]` (bN is +Inf), `count`, `sum`. */
function fieldsOf(family: MetricFamily, labels: Labels, length: number): string[] {
  const text = encodeLabels(labels);
  if (family.type === 'histogram') {
    const fields: string[] = [];
    for (let i = 0; i < length - 2; i++) fields.push(`b${i}${text}`);
    fields.push(`count${text}`, `sum${text}`);
    return fields;
  }
  if (family.type === 'summary') return [`count${text}`, `sum${text}`];
  return [text];
}

/**
 * Points rewritten together so `mostrecent` never mixes processes within one series: a
 * state set's states move together, an info is one series.
 */
function groupOf(family: MetricFamily, labels: Labels, field: string): string {
  if (family.type === 'info') return '';
  if (family.type !== 'stateset') return field;
  const base: Record<string, string> = {};
  for (const name in labels) if (name !== family.name) base[name] = labels[name]!;
  return encodeLabels(base);
}
