import {
  type CounterFamily,
  type GaugeFamily,
  type GaugePoint,
  type Labels,
  labelText,
  type MetricFamily,
} from '@promkit/core';
import type { Aggregation } from '../aggregate/aggregation';

/** What every runtime collector shares: the name prefix and the constant labels. */
export interface RuntimeContext {
  readonly prefix: string;
  readonly labels: Labels;
  /** `labelText(labels)`, escaped once. */
  readonly labelText: string;
}

/** A group of families computed together at scrape time (one prom-client module). */
export interface RuntimeGroup {
  /** Every family name the group produces, prefix included. */
  readonly names: readonly string[];
  collect(): MetricFamily[] | Promise<MetricFamily[]>;
  /** How the families combine across cluster workers when the primary is not told otherwise. */
  readonly aggregation?: Readonly<Record<string, Aggregation>>;
  /** Releases monitors and observers. */
  stop?(): void;
}

export function runtimeContext(prefix: string, labels: Labels): RuntimeContext {
  const copy = { ...labels };
  return { prefix, labels: copy, labelText: labelText(copy) };
}

export function gaugeFamily(
  ctx: RuntimeContext,
  name: string,
  help: string,
  value: number,
): GaugeFamily {
  return {
    name,
    help,
    type: 'gauge',
    points: [{ labels: ctx.labels, labelText: ctx.labelText, value }],
  };
}

export function counterFamily(
  ctx: RuntimeContext,
  name: string,
  help: string,
  value: number,
): CounterFamily {
  return {
    name,
    help,
    type: 'counter',
    points: [{ labels: ctx.labels, labelText: ctx.labelText, value }],
  };
}

/** One gauge series per key of `counts`, the key in label `labelName`. */
export function gaugeByLabel(
  ctx: RuntimeContext,
  name: string,
  help: string,
  labelName: string,
  counts: ReadonlyMap<string, number>,
): GaugeFamily {
  const points: GaugePoint[] = [];
  for (const [key, value] of counts) {
    const labels = { [labelName]: key, ...ctx.labels };
    points.push({ labels, labelText: labelText(labels), value });
  }
  return { name, help, type: 'gauge', points };
}
