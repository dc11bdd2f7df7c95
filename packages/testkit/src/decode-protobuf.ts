// Reads a delimited protobuf exposition with protobufjs reflection over @promkit/core's
// proto/metrics.proto: an independent reader for tests, not the encoder read backwards.
// The .proto file is read by path so the test kit does not depend on @promkit/core.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

export type DecodedMetricType =
  | 'counter'
  | 'gauge'
  | 'summary'
  | 'untyped'
  | 'histogram'
  | 'gauge_histogram';

export interface DecodedExemplar {
  labels: Record<string, string>;
  value: number;
  /** Seconds since the epoch. */
  timestamp?: number;
}

export interface DecodedQuantile {
  quantile: number;
  value: number;
}

export interface DecodedSummary {
  count: number;
  sum: number;
  quantiles: DecodedQuantile[];
}

export interface DecodedBucket {
  upperBound: number;
  /** `cumulative_count`, or `cumulative_count_float` when that is set above 0. */
  cumulativeCount: number;
  exemplar?: DecodedExemplar;
}

export interface DecodedBucketSpan {
  offset: number;
  length: number;
}

export interface DecodedNativeHistogram {
  schema: number;
  zeroThreshold: number;
  /** `zero_count`, or `zero_count_float` when that is set above 0. */
  zeroCount: number;
  positiveSpans: DecodedBucketSpan[];
  positiveDeltas: number[];
  negativeSpans: DecodedBucketSpan[];
  negativeDeltas: number[];
  /** Absolute counts of a float histogram (instead of deltas). */
  positiveCounts?: number[];
  negativeCounts?: number[];
}

export interface DecodedHistogram {
  /** `sample_count`, or `sample_count_float` when that is set above 0. */
  count: number;
  sum: number;
  buckets: DecodedBucket[];
  /** Present when any native histogram field was set. */
  native?: DecodedNativeHistogram;
  /** Native histogram exemplars (`exemplars`, field 16). */
  exemplars?: DecodedExemplar[];
}

export interface DecodedMetric {
  labels: Record<string, string>;
  /** Counter, gauge or untyped value. */
  value?: number;
  /** A counter's exemplar. */
  exemplar?: DecodedExemplar;
  summary?: DecodedSummary;
  histogram?: DecodedHistogram;
  /** Counter, summary or histogram `created_timestamp`, in seconds since the epoch. */
  createdTimestamp?: number;
  timestampMs?: number;
}

export interface DecodedMetricFamily {
  name: string;
  help: string;
  type: DecodedMetricType;
  unit?: string;
  metrics: DecodedMetric[];
}

const PROTO_PATH = fileURLToPath(new URL('../../core/proto/metrics.proto', import.meta.url));

let familyType: protobuf.Type | undefined;

/** `io.prometheus.client.MetricFamily`, loaded once from core's metrics.proto. */
export function metricFamilyType(): protobuf.Type {
  familyType ??= protobuf.loadSync(PROTO_PATH).lookupType('io.prometheus.client.MetricFamily');
  return familyType;
}

// What MetricFamily.toObject gives with `defaults: false`: absent fields are absent.
interface PbLabel {
  name?: string;
  value?: string;
}
interface PbTimestamp {
  seconds?: number;
  nanos?: number;
}
interface PbExemplar {
  label?: PbLabel[];
  value?: number;
  timestamp?: PbTimestamp;
}
interface PbBucket {
  cumulativeCount?: number;
  cumulativeCountFloat?: number;
  upperBound?: number;
  exemplar?: PbExemplar;
}
interface PbSpan {
  offset?: number;
  length?: number;
}
interface PbHistogram {
  sampleCount?: number;
  sampleCountFloat?: number;
  sampleSum?: number;
  bucket?: PbBucket[];
  createdTimestamp?: PbTimestamp;
  schema?: number;
  zeroThreshold?: number;
  zeroCount?: number;
  zeroCountFloat?: number;
  negativeSpan?: PbSpan[];
  negativeDelta?: number[];
  negativeCount?: number[];
  positiveSpan?: PbSpan[];
  positiveDelta?: number[];
  positiveCount?: number[];
  exemplars?: PbExemplar[];
}
interface PbMetric {
  label?: PbLabel[];
  gauge?: { value?: number };
  counter?: { value?: number; exemplar?: PbExemplar; createdTimestamp?: PbTimestamp };
  summary?: {
    sampleCount?: number;
    sampleSum?: number;
    quantile?: { quantile?: number; value?: number }[];
    createdTimestamp?: PbTimestamp;
  };
  untyped?: { value?: number };
  histogram?: PbHistogram;
  timestampMs?: number;
}
interface PbFamily {
  name?: string;
  help?: string;
  type?: string;
  metric?: PbMetric[];
  unit?: string;
}

const NATIVE_FIELDS = [
  'schema',
  'zeroThreshold',
  'zeroCount',
  'zeroCountFloat',
  'negativeSpan',
  'negativeDelta',
  'negativeCount',
  'positiveSpan',
  'positiveDelta',
  'positiveCount',
] as const;

/**
 * Decodes a body of delimited `io.prometheus.client.MetricFamily` messages into plain
 * objects (label maps, seconds for timestamps, float counts where set above 0).
 *
 * @example
 * const families = decodeProtobuf(new Uint8Array(await response.arrayBuffer()));
 */
export function decodeProtobuf(body: Uint8Array): DecodedMetricFamily[] {
  const type = metricFamilyType();
  const reader = protobuf.Reader.create(body);
  const families: DecodedMetricFamily[] = [];
  while (reader.pos < reader.len) {
    const message = type.decode(reader, reader.uint32());
    const plain = type.toObject(message, { longs: Number, enums: String, defaults: false });
    families.push(toFamily(plain as PbFamily));
  }
  return families;
}

function toFamily(pb: PbFamily): DecodedMetricFamily {
  const family: DecodedMetricFamily = {
    name: pb.name ?? '',
    help: pb.help ?? '',
    type: (pb.type ?? 'COUNTER').toLowerCase() as DecodedMetricType,
    metrics: (pb.metric ?? []).map(toMetric),
  };
  if (pb.unit !== undefined) family.unit = pb.unit;
  return family;
}

function toMetric(pb: PbMetric): DecodedMetric {
  const metric: DecodedMetric = { labels: toLabels(pb.label) };
  if (pb.gauge !== undefined) metric.value = pb.gauge.value ?? 0;
  if (pb.untyped !== undefined) metric.value = pb.untyped.value ?? 0;
  if (pb.counter !== undefined) {
    metric.value = pb.counter.value ?? 0;
    if (pb.counter.exemplar !== undefined) metric.exemplar = toExemplar(pb.counter.exemplar);
    if (pb.counter.createdTimestamp !== undefined) {
      metric.createdTimestamp = seconds(pb.counter.createdTimestamp);
    }
  }
  if (pb.summary !== undefined) {
    metric.summary = {
      count: pb.summary.sampleCount ?? 0,
      sum: pb.summary.sampleSum ?? 0,
      quantiles: (pb.summary.quantile ?? []).map((q) => ({
        quantile: q.quantile ?? 0,
        value: q.value ?? 0,
      })),
    };
    if (pb.summary.createdTimestamp !== undefined) {
      metric.createdTimestamp = seconds(pb.summary.createdTimestamp);
    }
  }
  if (pb.timestampMs !== undefined) metric.timestampMs = pb.timestampMs;
  if (pb.histogram !== undefined) {
    metric.histogram = toHistogram(pb.histogram);
    if (pb.histogram.createdTimestamp !== undefined) {
      metric.createdTimestamp = seconds(pb.histogram.createdTimestamp);
    }
  }
  return metric;
}

function toHistogram(pb: PbHistogram): DecodedHistogram {
  const histogram: DecodedHistogram = {
    count: floatOver(pb.sampleCountFloat, pb.sampleCount),
    sum: pb.sampleSum ?? 0,
    buckets: (pb.bucket ?? []).map((b) => {
      const bucket: DecodedBucket = {
        upperBound: b.upperBound ?? 0,
        cumulativeCount: floatOver(b.cumulativeCountFloat, b.cumulativeCount),
      };
      if (b.exemplar !== undefined) bucket.exemplar = toExemplar(b.exemplar);
      return bucket;
    }),
  };
  if (NATIVE_FIELDS.some((field) => pb[field] !== undefined)) {
    const native: DecodedNativeHistogram = {
      schema: pb.schema ?? 0,
      zeroThreshold: pb.zeroThreshold ?? 0,
      zeroCount: floatOver(pb.zeroCountFloat, pb.zeroCount),
      positiveSpans: (pb.positiveSpan ?? []).map(toSpan),
      positiveDeltas: pb.positiveDelta ?? [],
      negativeSpans: (pb.negativeSpan ?? []).map(toSpan),
      negativeDeltas: pb.negativeDelta ?? [],
    };
    if (pb.positiveCount !== undefined) native.positiveCounts = pb.positiveCount;
    if (pb.negativeCount !== undefined) native.negativeCounts = pb.negativeCount;
    histogram.native = native;
  }
  if (pb.exemplars !== undefined) histogram.exemplars = pb.exemplars.map(toExemplar);
  return histogram;
}

/** The `_float` variant of a count overrides the integer one when set above 0. */
function floatOver(float: number | undefined, integer: number | undefined): number {
  return float !== undefined && float > 0 ? float : (integer ?? 0);
}

function toSpan(pb: PbSpan): DecodedBucketSpan {
  return { offset: pb.offset ?? 0, length: pb.length ?? 0 };
}

function toExemplar(pb: PbExemplar): DecodedExemplar {
  const exemplar: DecodedExemplar = { labels: toLabels(pb.label), value: pb.value ?? 0 };
  if (pb.timestamp !== undefined) exemplar.timestamp = seconds(pb.timestamp);
  return exemplar;
}

function toLabels(pairs: PbLabel[] | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    // defineProperty keeps a label named `__proto__` an own property.
    Object.defineProperty(labels, pair.name ?? '', {
      value: pair.value ?? '',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return labels;
}

/** A google.protobuf.Timestamp as seconds since the epoch. */
function seconds(pb: PbTimestamp): number {
  return (pb.seconds ?? 0) + (pb.nanos ?? 0) / 1e9;
}
