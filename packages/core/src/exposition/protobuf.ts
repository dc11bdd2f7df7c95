import type {
  CounterPoint,
  Exemplar,
  HistogramPoint,
  HistogramValue,
  Labels,
  MetricFamily,
  NativeHistogramValue,
  SummaryPoint,
} from '../model';
import { varintLength, writeVarint } from '../wire/bytes';
import { KeptProtoWriter } from '../wire/kept-writer';
import { ProtoWriter } from '../wire/proto-writer';
import { infoSampleName } from './family-shape';
import { PROTOBUF_FORMAT } from './negotiate';
import { timestampParts } from './timestamp-parts';

/** Content type of the delimited `io.prometheus.client.MetricFamily` exposition. */
export const PROTOBUF_CONTENT_TYPE: string = PROTOBUF_FORMAT.contentType;

type Writer = ProtoWriter;

// Field tags (field number << 3 | wire type) from proto/metrics.proto.
const FAMILY_NAME = 0x0a;
const FAMILY_HELP = 0x12;
const FAMILY_TYPE = 0x18;
const FAMILY_METRIC = 0x22;
const FAMILY_UNIT = 0x2a;

const METRIC_LABEL = 0x0a;
const METRIC_GAUGE = 0x12;
const METRIC_COUNTER = 0x1a;
const METRIC_SUMMARY = 0x22;
const METRIC_UNTYPED = 0x2a;
const METRIC_TIMESTAMP_MS = 0x30;
const METRIC_HISTOGRAM = 0x3a;

const LABEL_NAME = 0x0a;
const LABEL_VALUE = 0x12;

const VALUE_DOUBLE = 0x09; // Gauge.value, Untyped.value, Counter.value, Quantile.quantile
const COUNTER_EXEMPLAR = 0x12;
const COUNTER_CREATED = 0x1a;

const QUANTILE_VALUE = 0x11;
const SUMMARY_COUNT = 0x08;
const SUMMARY_SUM = 0x11;
const SUMMARY_QUANTILE = 0x1a;
const SUMMARY_CREATED = 0x22;

const HISTOGRAM_COUNT = 0x08;
const HISTOGRAM_SUM = 0x11;
const HISTOGRAM_BUCKET = 0x1a;
const HISTOGRAM_COUNT_FLOAT = 0x21;
const HISTOGRAM_SCHEMA = 0x28;
const HISTOGRAM_ZERO_THRESHOLD = 0x31;
const HISTOGRAM_ZERO_COUNT = 0x38;
const HISTOGRAM_NEGATIVE_SPAN = 0x4a;
const HISTOGRAM_NEGATIVE_DELTA = 0x52; // packed
const HISTOGRAM_POSITIVE_SPAN = 0x62;
const HISTOGRAM_POSITIVE_DELTA = 0x6a; // packed
const HISTOGRAM_CREATED = 0x7a;

const BUCKET_COUNT = 0x08;
const BUCKET_UPPER_BOUND = 0x11;
const BUCKET_EXEMPLAR = 0x1a;
const BUCKET_COUNT_FLOAT = 0x21;

const SPAN_OFFSET = 0x08;
const SPAN_LENGTH = 0x10;

const EXEMPLAR_LABEL = 0x0a;
const EXEMPLAR_VALUE = 0x11;
const EXEMPLAR_TIMESTAMP = 0x1a;

const TIMESTAMP_SECONDS = 0x08;
const TIMESTAMP_NANOS = 0x10;

const TYPE_COUNTER = 0;
const TYPE_GAUGE = 1;
const TYPE_SUMMARY = 2;
const TYPE_UNTYPED = 3;
const TYPE_HISTOGRAM = 4;

const UINT64_LIMIT = 2 ** 64;

/**
 * The constant head of a MetricFamily message (name, help, type, unit), kept per name,
 * with how well the family's label sets hit the label cache.
 */
interface FamilyHead {
  readonly help: string;
  readonly type: string;
  readonly unit: string | undefined;
  readonly bytes: Uint8Array;
  encodes: number;
  /** Consecutive encodes (with the cache on) whose frozen label sets all missed. */
  missedEncodes: number;
}
const MAX_CACHED_HEADS = 4096;
const familyHeads = new Map<string, FamilyHead>();

/**
 * The encoded LabelPair fields of a frozen label set, kept as long as the object
 * lives: collectors that hand out the same frozen `labels` on every scrape pay for
 * encoding their labels once (the metric classes build fresh, unfrozen label sets per
 * scrape instead of keeping one per series, to stay small). Unfrozen label sets could
 * change between scrapes, so they are encoded every time. A family whose frozen
 * label sets are new objects on every scrape would only pay for caching, so after
 * two encodes without a hit its labels go uncached, with a two-encode probe every
 * 64 encodes in case that changes.
 */
const labelBytes = new WeakMap<Labels, Uint8Array>();
const PROBE_EVERY = 64;
let cacheLabels = true;
let labelHits = 0;
let labelMisses = 0;

const pageWriter = new KeptProtoWriter();

/**
 * Encodes metric families as delimited `io.prometheus.client.MetricFamily` messages,
 * the protobuf exposition Prometheus scrapes native histograms from. Families
 * without points are left out, as client_golang does.
 *
 * @example
 * const body = encodeProtobuf(await registry.collect());
 * response.setHeader('Content-Type', PROTOBUF_CONTENT_TYPE);
 */
export function encodeProtobuf(families: readonly MetricFamily[]): Uint8Array {
  return pageWriter.encode((writer) => {
    for (const family of families) {
      if (family.points.length === 0) continue;
      const head = familyHead(family);
      cacheLabels = head.missedEncodes < 2 || head.encodes % PROBE_EVERY < 2;
      labelHits = 0;
      labelMisses = 0;
      writer.fork();
      writer.raw(head.bytes);
      writePoints(writer, family);
      writer.ldelim();
      head.encodes++;
      if (cacheLabels && labelHits > 0) head.missedEncodes = 0;
      else if (cacheLabels && labelMisses > 0) head.missedEncodes++;
    }
  });
}

/** The `metric` fields of a family's points (all of them, or one slice), without its head. */
export function protobufMetrics(family: MetricFamily): Uint8Array {
  const writer = new ProtoWriter();
  writePoints(writer, family);
  return writer.finish();
}

/**
 * The length prefix and head (name, help, type, unit) of a delimited MetricFamily whose
 * `metric` fields, written after it, take `metricsLength` bytes.
 */
export function protobufFamilyStart(family: MetricFamily, metricsLength: number): Uint8Array {
  const head = familyHead(family).bytes;
  const length = head.length + metricsLength;
  const start = new Uint8Array(varintLength(length) + head.length);
  start.set(head, writeVarint(start, 0, length));
  return start;
}

function writePoints(w: Writer, family: MetricFamily): void {
  switch (family.type) {
    case 'counter':
      for (const point of family.points) writeCounter(w, point);
      return;
    case 'gauge':
    case 'stateset':
      for (const point of family.points)
        writeNumber(w, point.labels, METRIC_GAUGE, point.value, point.timestampMs);
      return;
    case 'untyped':
      for (const point of family.points)
        writeNumber(w, point.labels, METRIC_UNTYPED, point.value, point.timestampMs);
      return;
    case 'info':
      for (const point of family.points)
        writeNumber(w, point.labels, METRIC_GAUGE, 1, point.timestampMs);
      return;
    case 'summary':
      for (const point of family.points) writeSummary(w, point);
      return;
    case 'histogram':
      for (const point of family.points) writeHistogram(w, point);
      return;
  }
}

const PROTO_TYPES: Readonly<Record<MetricFamily['type'], number>> = {
  counter: TYPE_COUNTER,
  gauge: TYPE_GAUGE,
  stateset: TYPE_GAUGE,
  info: TYPE_GAUGE,
  untyped: TYPE_UNTYPED,
  summary: TYPE_SUMMARY,
  histogram: TYPE_HISTOGRAM,
};

function familyHead(family: MetricFamily): FamilyHead {
  const name = family.type === 'info' ? infoSampleName(family.name) : family.name;
  const { help, type, unit } = family;
  const cached = familyHeads.get(name);
  if (
    cached !== undefined &&
    cached.help === help &&
    cached.type === type &&
    cached.unit === unit
  ) {
    return cached;
  }
  const w = new ProtoWriter();
  w.uint32(FAMILY_NAME).string(name);
  w.uint32(FAMILY_HELP).string(help);
  w.uint32(FAMILY_TYPE).uint32(PROTO_TYPES[type]);
  if (unit !== undefined && unit !== '') w.uint32(FAMILY_UNIT).string(unit);
  const head: FamilyHead = { help, type, unit, bytes: w.finish(), encodes: 0, missedEncodes: 0 };
  if (familyHeads.size >= MAX_CACHED_HEADS) familyHeads.clear();
  familyHeads.set(name, head);
  return head;
}

function writeLabels(w: Writer, labels: Labels): void {
  if (!cacheLabels || !Object.isFrozen(labels)) {
    writeLabelPairs(w, METRIC_LABEL, labels);
    return;
  }
  const cached = labelBytes.get(labels);
  if (cached !== undefined) {
    labelHits++;
    w.raw(cached);
    return;
  }
  labelMisses++;
  const start = w.length;
  writeLabelPairs(w, METRIC_LABEL, labels);
  labelBytes.set(labels, w.slice(start));
}

function writeLabelPairs(w: Writer, tag: number, labels: Labels): void {
  for (const name in labels) {
    w.uint32(tag).fork();
    w.uint32(LABEL_NAME).string(name);
    w.uint32(LABEL_VALUE).string(labels[name]!);
    w.ldelim();
  }
}

function writeTimestampMs(w: Writer, timestampMs: number | undefined): void {
  if (timestampMs !== undefined) w.uint32(METRIC_TIMESTAMP_MS).int64(Math.trunc(timestampMs));
}

/** A Metric with a Gauge or Untyped value: its submessage is always 9 bytes. */
function writeNumber(
  w: Writer,
  labels: Labels,
  tag: number,
  value: number,
  timestampMs: number | undefined,
): void {
  w.uint32(FAMILY_METRIC).fork();
  writeLabels(w, labels);
  w.uint32(tag).uint32(9).uint32(VALUE_DOUBLE).double(value);
  writeTimestampMs(w, timestampMs);
  w.ldelim();
}

function writeCounter(w: Writer, point: CounterPoint): void {
  w.uint32(FAMILY_METRIC).fork();
  writeLabels(w, point.labels);
  if (point.exemplar === undefined && point.created === undefined) {
    w.uint32(METRIC_COUNTER).uint32(9).uint32(VALUE_DOUBLE).double(point.value);
  } else {
    w.uint32(METRIC_COUNTER).fork();
    w.uint32(VALUE_DOUBLE).double(point.value);
    if (point.exemplar !== undefined) writeExemplar(w, COUNTER_EXEMPLAR, point.exemplar);
    if (point.created !== undefined) writeTimestamp(w, COUNTER_CREATED, point.created);
    w.ldelim();
  }
  writeTimestampMs(w, point.timestampMs);
  w.ldelim();
}

function writeSummary(w: Writer, point: SummaryPoint): void {
  const { count, sum, quantiles } = point.value;
  w.uint32(FAMILY_METRIC).fork();
  writeLabels(w, point.labels);
  w.uint32(METRIC_SUMMARY).fork();
  // Summary has no float count field; a fractional count is rounded.
  w.uint32(SUMMARY_COUNT).uint64(uint64Of(Math.round(count)));
  w.uint32(SUMMARY_SUM).double(sum);
  for (const q of quantiles) {
    w.uint32(SUMMARY_QUANTILE).uint32(18);
    w.uint32(VALUE_DOUBLE).double(q.quantile);
    w.uint32(QUANTILE_VALUE).double(q.value);
  }
  if (point.created !== undefined) writeTimestamp(w, SUMMARY_CREATED, point.created);
  w.ldelim();
  writeTimestampMs(w, point.timestampMs);
  w.ldelim();
}

function writeHistogram(w: Writer, point: HistogramPoint): void {
  const value = point.value;
  w.uint32(FAMILY_METRIC).fork();
  writeLabels(w, point.labels);
  w.uint32(METRIC_HISTOGRAM).fork();
  writeCount(w, HISTOGRAM_COUNT, HISTOGRAM_COUNT_FLOAT, value.count);
  w.uint32(HISTOGRAM_SUM).double(value.sum);
  writeClassicBuckets(w, value);
  if (point.created !== undefined) writeTimestamp(w, HISTOGRAM_CREATED, point.created);
  if (value.native !== undefined) writeNative(w, value.native);
  w.ldelim();
  writeTimestampMs(w, point.timestampMs);
  w.ldelim();
}

/** Cumulative buckets, ending with an explicit +Inf bucket. */
function writeClassicBuckets(w: Writer, value: HistogramValue): void {
  const { bounds, counts, exemplars } = value;
  if (counts.length === 0) return;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    cumulative += counts[i]!;
    const upperBound = i < bounds.length ? bounds[i]! : Number.POSITIVE_INFINITY;
    const exemplar = exemplars?.[i];
    w.uint32(HISTOGRAM_BUCKET).fork();
    writeCount(w, BUCKET_COUNT, BUCKET_COUNT_FLOAT, cumulative);
    w.uint32(BUCKET_UPPER_BOUND).double(upperBound);
    if (exemplar !== undefined) writeExemplar(w, BUCKET_EXEMPLAR, exemplar);
    w.ldelim();
  }
}

function writeNative(w: Writer, native: NativeHistogramValue): void {
  w.uint32(HISTOGRAM_SCHEMA).sint32(native.schema);
  w.uint32(HISTOGRAM_ZERO_THRESHOLD).double(native.zeroThreshold);
  w.uint32(HISTOGRAM_ZERO_COUNT).uint64(uint64Of(Math.round(native.zeroCount)));
  writeSpans(w, HISTOGRAM_NEGATIVE_SPAN, native.negativeSpans);
  writeDeltas(w, HISTOGRAM_NEGATIVE_DELTA, native.negativeDeltas);
  const empty =
    native.positiveSpans.length === 0 &&
    native.negativeSpans.length === 0 &&
    native.zeroCount === 0;
  if (empty && native.zeroThreshold === 0) {
    // Without buckets, zero count and zero threshold the histogram would read as a
    // classic one; a no-op span marks it native, as client_golang does.
    w.uint32(HISTOGRAM_POSITIVE_SPAN).uint32(4);
    w.uint32(SPAN_OFFSET).uint32(0).uint32(SPAN_LENGTH).uint32(0);
  } else {
    writeSpans(w, HISTOGRAM_POSITIVE_SPAN, native.positiveSpans);
  }
  writeDeltas(w, HISTOGRAM_POSITIVE_DELTA, native.positiveDeltas);
}

function writeSpans(
  w: Writer,
  tag: number,
  spans: readonly { readonly offset: number; readonly length: number }[],
): void {
  for (const span of spans) {
    w.uint32(tag).fork();
    w.uint32(SPAN_OFFSET).sint32(span.offset);
    w.uint32(SPAN_LENGTH).uint32(span.length);
    w.ldelim();
  }
}

/** Packed sint64 deltas. */
function writeDeltas(w: Writer, tag: number, deltas: readonly number[]): void {
  if (deltas.length === 0) return;
  w.uint32(tag).fork();
  for (const delta of deltas) w.sint64(delta);
  w.ldelim();
}

function writeExemplar(w: Writer, tag: number, exemplar: Exemplar): void {
  w.uint32(tag).fork();
  writeLabelPairs(w, EXEMPLAR_LABEL, exemplar.labels);
  w.uint32(EXEMPLAR_VALUE).double(exemplar.value);
  if (exemplar.timestamp !== undefined) writeTimestamp(w, EXEMPLAR_TIMESTAMP, exemplar.timestamp);
  w.ldelim();
}

/** A google.protobuf.Timestamp from seconds since the epoch. */
function writeTimestamp(w: Writer, tag: number, seconds: number): void {
  const { whole, nanos } = timestampParts(seconds);
  w.uint32(tag).fork();
  if (whole !== 0) w.uint32(TIMESTAMP_SECONDS).int64(whole);
  if (nanos !== 0) w.uint32(TIMESTAMP_NANOS).int32(nanos);
  w.ldelim();
}

/** A count as uint64, or as the float field when it is not a uint64 (fractional, negative, NaN). */
function writeCount(w: Writer, intTag: number, floatTag: number, count: number): void {
  if (Number.isInteger(count) && count >= 0 && count < UINT64_LIMIT) w.uint32(intTag).uint64(count);
  else w.uint32(floatTag).double(count);
}

function uint64Of(n: number): number {
  return n >= 0 && n < UINT64_LIMIT ? n : n > 0 ? UINT64_LIMIT - 2048 : 0;
}
