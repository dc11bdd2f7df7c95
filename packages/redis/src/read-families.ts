import {
  type CounterPoint,
  type GaugePoint,
  type HistogramPoint,
  type InfoPoint,
  type Labels,
  labelText,
  type MetricFamily,
  type StateSetPoint,
  type SummaryPoint,
} from '@promkit/core';
import type { Redis } from 'ioredis';
import { decodeLabels, parseNumber, splitField } from './codec';
import { aggregationOf, type GaugeMode, isLiveMode } from './gauge-mode';
import type { StoreKeys } from './keys';
import { isGaugeLike, parseMeta, type StoredMeta } from './metric-meta';
import { hashEntries, pipelineResults, redisTimeMs, scoredMembers } from './replies';

export interface ReadConfig {
  readonly gaugeTtlMs: number;
  readonly liveTimeoutMs: number;
  readonly processLabel: string;
}

/** One process's value of one gauge-like point. */
interface ProcessValue {
  readonly processId: string;
  readonly live: boolean;
  readonly labels: string;
  readonly value: number;
  readonly timeMs: number;
}

/**
 * Reads every shared metric in two pipelined round trips: (1) server time, metadata and
 * the process index; (2) each counter/histogram/summary hash and each unexpired
 * process's gauge hash. Returns families sorted by name.
 */
export async function readFamilies(
  client: Redis,
  keys: StoreKeys,
  config: ReadConfig,
): Promise<MetricFamily[]> {
  const [time, metaReply, processReply] = pipelineResults(
    await client
      .pipeline()
      .time()
      .hgetall(keys.meta)
      .zrange(keys.processes, '0', '-1', 'WITHSCORES')
      .exec(),
  );
  const nowMs = redisTimeMs(time);
  const metas = new Map<string, StoredMeta>();
  for (const [name, json] of hashEntries(metaReply)) {
    const meta = parseMeta(json);
    if (meta !== undefined) metas.set(name, meta);
  }
  const names = [...metas.keys()].sort();
  const cumulative = names.filter((name) => !isGaugeLike(metas.get(name)!.type));
  const processes = scoredMembers(processReply).filter(
    ([, heartbeat]) => heartbeat > nowMs - config.gaugeTtlMs,
  );

  const second = client.pipeline();
  for (const name of cumulative) second.hgetall(keys.metric(name));
  for (const [processId] of processes) second.hgetall(keys.process(processId));
  const replies =
    cumulative.length + processes.length > 0 ? pipelineResults(await second.exec()) : [];

  const data = new Map<string, Array<[string, string]>>();
  cumulative.forEach((name, i) => {
    data.set(name, hashEntries(replies[i]));
  });
  const gaugeValues = new Map<string, ProcessValue[]>();
  processes.forEach(([processId, heartbeat], i) => {
    const live = heartbeat > nowMs - config.liveTimeoutMs;
    for (const [field, stored] of hashEntries(replies[cumulative.length + i])) {
      const split = splitField(field);
      const at = stored.lastIndexOf('@');
      if (split === undefined || at === -1) continue;
      const entry: ProcessValue = {
        processId,
        live,
        labels: split.labels,
        value: parseNumber(stored.slice(0, at)),
        timeMs: Number(stored.slice(at + 1)),
      };
      const list = gaugeValues.get(split.part);
      if (list === undefined) gaugeValues.set(split.part, [entry]);
      else list.push(entry);
    }
  });

  const families: MetricFamily[] = [];
  for (const name of names) {
    const meta = metas.get(name)!;
    const head = { name, help: meta.help, ...(meta.unit ? { unit: meta.unit } : {}) };
    switch (meta.type) {
      case 'counter':
        families.push({ ...head, type: 'counter', points: counterPoints(data.get(name)!) });
        break;
      case 'histogram':
        families.push({
          ...head,
          type: 'histogram',
          points: histogramPoints(meta, data.get(name)!),
        });
        break;
      case 'summary':
        families.push({ ...head, type: 'summary', points: summaryPoints(data.get(name)!) });
        break;
      default: {
        const values = gaugeValues.get(name) ?? [];
        const mode = meta.mode ?? 'all';
        const points = combine(values, mode, config.processLabel, groupingOf(meta.type, name));
        if (meta.type === 'gauge') {
          families.push({ ...head, type: 'gauge', points: points as GaugePoint[] });
        } else if (meta.type === 'stateset') {
          const states = points.map(
            (p) => ({ ...p, value: p.value === 0 ? 0 : 1 }) as StateSetPoint,
          );
          families.push({ ...head, type: 'stateset', points: states });
        } else {
          families.push({
            ...head,
            type: 'info',
            points: points.map(({ labels, labelText }) => ({ labels, labelText }) as InfoPoint),
          });
        }
      }
    }
  }
  return families;
}

function point(labels: Labels): { labels: Labels; labelText: string } {
  return { labels, labelText: labelText(labels) };
}

function counterPoints(entries: Array<[string, string]>): CounterPoint[] {
  const points: CounterPoint[] = [];
  for (const [field, value] of entries) {
    const labels = decodeLabels(field);
    if (labels !== undefined) points.push({ ...point(labels), value: parseNumber(value) });
  }
  return sortPoints(points);
}

/** Groups `<part>[labels]` fields by series. */
function bySeries(entries: Array<[string, string]>): Map<string, Map<string, number>> {
  const series = new Map<string, Map<string, number>>();
  for (const [field, value] of entries) {
    const split = splitField(field);
    if (split === undefined) continue;
    let parts = series.get(split.labels);
    if (parts === undefined) {
      parts = new Map();
      series.set(split.labels, parts);
    }
    parts.set(split.part, parseNumber(value));
  }
  return series;
}

function histogramPoints(meta: StoredMeta, entries: Array<[string, string]>): HistogramPoint[] {
  const bounds = Float64Array.from(meta.buckets ?? []);
  const points: HistogramPoint[] = [];
  for (const [text, parts] of bySeries(entries)) {
    const labels = decodeLabels(text);
    if (labels === undefined) continue;
    const counts = new Float64Array(bounds.length + 1);
    for (let i = 0; i <= bounds.length; i++) counts[i] = parts.get(`b${i}`) ?? 0;
    points.push({
      ...point(labels),
      value: { bounds, counts, count: parts.get('count') ?? 0, sum: parts.get('sum') ?? 0 },
    });
  }
  return sortPoints(points);
}

/** Count and sum only: quantiles of different processes cannot be combined. */
function summaryPoints(entries: Array<[string, string]>): SummaryPoint[] {
  const points: SummaryPoint[] = [];
  for (const [text, parts] of bySeries(entries)) {
    const labels = decodeLabels(text);
    if (labels === undefined) continue;
    points.push({
      ...point(labels),
      value: { count: parts.get('count') ?? 0, sum: parts.get('sum') ?? 0, quantiles: [] },
    });
  }
  return sortPoints(points);
}

/**
 * Combines per-process values by the metric's mode. `all` keeps one series per process
 * (with the process label); `mostrecent` takes, per series group, the process that wrote
 * last; `sum`/`min`/`max` fold each series over the processes.
 */
function combine(
  values: readonly ProcessValue[],
  mode: GaugeMode,
  processLabel: string,
  groupOf: (labels: string) => string,
): GaugePoint[] {
  const included = isLiveMode(mode) ? values.filter((v) => v.live) : values;
  const aggregation = aggregationOf(mode);
  const points: GaugePoint[] = [];
  if (aggregation === 'all') {
    for (const v of included) {
      const labels = decodeLabels(v.labels);
      if (labels === undefined) continue;
      if (!(processLabel in labels)) labels[processLabel] = v.processId;
      points.push({ ...point(labels), value: v.value });
    }
    return sortPoints(points);
  }
  if (aggregation === 'mostrecent') {
    const winners = new Map<string, ProcessValue>();
    for (const v of included) {
      const group = groupOf(v.labels);
      const best = winners.get(group);
      if (best === undefined || newer(v, best)) winners.set(group, v);
    }
    for (const v of included) {
      const winner = winners.get(groupOf(v.labels))!;
      if (winner.processId !== v.processId) continue;
      const labels = decodeLabels(v.labels);
      if (labels !== undefined) points.push({ ...point(labels), value: v.value });
    }
    return sortPoints(points);
  }
  const folded = new Map<string, number>();
  for (const v of included) {
    const before = folded.get(v.labels);
    folded.set(v.labels, before === undefined ? v.value : fold(aggregation, before, v.value));
  }
  for (const [text, value] of folded) {
    const labels = decodeLabels(text);
    if (labels !== undefined) points.push({ ...point(labels), value });
  }
  return sortPoints(points);
}

function fold(aggregation: 'sum' | 'min' | 'max', a: number, b: number): number {
  if (aggregation === 'sum') return a + b;
  if (aggregation === 'min') return Math.min(a, b);
  return Math.max(a, b);
}

/** Later write wins; equal times fall back to the process id so every scrape agrees. */
function newer(a: ProcessValue, b: ProcessValue): boolean {
  return a.timeMs !== b.timeMs ? a.timeMs > b.timeMs : a.processId > b.processId;
}

/**
 * Which points \`mostrecent\` takes from one process together: a state set's states of one
 * series, the whole info (one label set), a gauge point by itself.
 */
function groupingOf(type: StoredMeta['type'], name: string): (labels: string) => string {
  if (type === 'info') return () => '';
  if (type !== 'stateset') return (labels) => labels;
  return (labels) => {
    const decoded = decodeLabels(labels);
    if (decoded === undefined) return labels;
    delete decoded[name];
    return JSON.stringify(Object.entries(decoded).flat());
  };
}

/** Deterministic output: series ordered by their label text. */
function sortPoints<P extends { readonly labelText?: string }>(points: P[]): P[] {
  return points.sort((a, b) => {
    const x = a.labelText ?? '';
    const y = b.labelText ?? '';
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
