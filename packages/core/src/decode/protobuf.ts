import { DecodeError } from '../errors';

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

const METRIC_TYPES: readonly DecodedMetricType[] = [
  'counter',
  'gauge',
  'summary',
  'untyped',
  'histogram',
  'gauge_histogram',
];

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A bounds-checked protobuf reader over one message (or the whole body). */
class Reader {
  pos: number;
  /** Wire type of the tag last read. */
  wire = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly view: DataView,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  fail(what: string, at = this.pos): never {
    throw new DecodeError(`Invalid protobuf exposition: ${what} at byte offset ${at}`);
  }

  /** Low and high 32 bits of the varint last read by `varint64`. */
  private lo = 0;
  private hi = 0;

  private varint64(): void {
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('truncated varint', start);
      const byte = this.buf[this.pos++]!;
      const bits = byte & 0x7f;
      if (i < 4) lo |= bits << (7 * i);
      else if (i === 4) {
        lo |= bits << 28;
        hi = bits >>> 4;
      } else hi |= bits << (7 * i - 32);
      if (byte < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    this.fail('varint longer than 10 bytes', start);
  }

  /** An unsigned varint as a number (exact up to 2^53). */
  varint(): number {
    this.varint64();
    return this.hi * 0x100000000 + this.lo;
  }

  /** A varint that must fit 32 bits (tags, lengths). */
  varint32(what: string): number {
    const start = this.pos;
    this.varint64();
    if (this.hi !== 0) this.fail(`${what} out of range`, start);
    return this.lo;
  }

  /** An int32/int64 varint (two's complement over 64 bits). */
  int64(): number {
    this.varint64();
    return signed(this.lo, this.hi);
  }

  /** A sint32/sint64 (zigzag) varint. */
  zigzag(): number {
    this.varint64();
    const mask = -(this.lo & 1);
    return signed(
      (((this.lo >>> 1) | (this.hi << 31)) ^ mask) >>> 0,
      ((this.hi >>> 1) ^ mask) >>> 0,
    );
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('truncated double');
    const value = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return value;
  }

  /** The bounds [start, end) of a length-delimited field's payload. */
  delimited(): number {
    const start = this.pos;
    const length = this.varint32('length');
    if (this.pos + length > this.end) {
      this.fail(`length ${length} runs past the end of its message (${this.end})`, start);
    }
    return this.pos + length;
  }

  sub(): Reader {
    const end = this.delimited();
    const sub = new Reader(this.buf, this.view, this.pos, end);
    this.pos = end;
    return sub;
  }

  string(): string {
    const end = this.delimited();
    const start = this.pos;
    this.pos = end;
    try {
      return utf8.decode(this.buf.subarray(start, end));
    } catch {
      return this.fail('invalid UTF-8 in string', start);
    }
  }

  /** Reads the next tag; returns the field number and leaves the wire type in `wire`. */
  tag(): number {
    const start = this.pos;
    const tag = this.varint32('tag');
    this.wire = tag & 7;
    const field = tag >>> 3;
    if (field === 0) this.fail('field number 0', start);
    return field;
  }

  expect(wire: number, field: number, message: string): void {
    if (this.wire !== wire) {
      this.fail(`wire type ${this.wire} for ${message} field ${field} (expected ${wire})`);
    }
  }

  skip(field: number): void {
    switch (this.wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) this.fail(`truncated field ${field}`);
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.delimited();
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) this.fail(`truncated field ${field}`);
        this.pos += 4;
        return;
      default:
        this.fail(`unsupported wire type ${this.wire} in field ${field}`);
    }
  }

  /** A repeated scalar, packed (one LEN field) or not (one value per field). */
  repeated(out: number[], read: (r: Reader) => number): void {
    if (this.wire !== WIRE_LEN) {
      out.push(read(this));
      return;
    }
    const end = this.delimited();
    const packed = new Reader(this.buf, this.view, this.pos, end);
    while (packed.pos < end) out.push(read(packed));
    this.pos = end;
  }
}

/** A 64-bit two's complement number from its halves (exact up to 2^53 in magnitude). */
function signed(lo: number, hi: number): number {
  if (hi < 0x80000000) return hi * 0x100000000 + lo;
  return -((~hi >>> 0) * 0x100000000 + (~lo >>> 0) + 1);
}

const readZigzag = (r: Reader): number => r.zigzag();
const readDouble = (r: Reader): number => r.double();

/**
 * Decodes a body of delimited `io.prometheus.client.MetricFamily` messages into
 * plain objects. Unknown fields are skipped; malformed input throws a `DecodeError`
 * naming the byte offset.
 *
 * @example
 * const families = decodeProtobuf(new Uint8Array(await response.arrayBuffer()));
 */
export function decodeProtobuf(body: Uint8Array): DecodedMetricFamily[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const reader = new Reader(body, view, 0, body.length);
  const families: DecodedMetricFamily[] = [];
  while (reader.pos < reader.end) {
    const start = reader.pos;
    const message = reader.sub();
    if (message.pos - start > 5) reader.fail('length prefix longer than 5 bytes', start);
    families.push(readFamily(message));
  }
  return families;
}

function readFamily(r: Reader): DecodedMetricFamily {
  const family: DecodedMetricFamily = { name: '', help: '', type: 'counter', metrics: [] };
  while (r.pos < r.end) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE_LEN, field, 'MetricFamily');
        family.name = r.string();
        break;
      case 2:
        r.expect(WIRE_LEN, field, 'MetricFamily');
        family.help = r.string();
        break;
      case 3: {
        r.expect(WIRE_VARINT, field, 'MetricFamily');
        const at = r.pos;
        const type = METRIC_TYPES[r.int64()];
        if (type === undefined) r.fail('unknown MetricType', at);
        family.type = type;
        break;
      }
      case 4:
        r.expect(WIRE_LEN, field, 'MetricFamily');
        family.metrics.push(readMetric(r.sub()));
        break;
      case 5:
        r.expect(WIRE_LEN, field, 'MetricFamily');
        family.unit = r.string();
        break;
      default:
        r.skip(field);
    }
  }
  return family;
}

function readMetric(r: Reader): DecodedMetric {
  const metric: DecodedMetric = { labels: {} };
  while (r.pos < r.end) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE_LEN, field, 'Metric');
        readLabelPair(r.sub(), metric.labels);
        break;
      case 2:
      case 5:
        r.expect(WIRE_LEN, field, 'Metric');
        metric.value = readValue(r.sub());
        break;
      case 3:
        r.expect(WIRE_LEN, field, 'Metric');
        readCounter(r.sub(), metric);
        break;
      case 4:
        r.expect(WIRE_LEN, field, 'Metric');
        metric.summary = readSummary(r.sub(), metric);
        break;
      case 6:
        r.expect(WIRE_VARINT, field, 'Metric');
        metric.timestampMs = r.int64();
        break;
      case 7:
        r.expect(WIRE_LEN, field, 'Metric');
        metric.histogram = readHistogram(r.sub(), metric);
        break;
      default:
        r.skip(field);
    }
  }
  return metric;
}

function readLabelPair(r: Reader, into: Record<string, string>): void {
  let name = '';
  let value = '';
  while (r.pos < r.end) {
    const field = r.tag();
    if (field === 1 || field === 2) {
      r.expect(WIRE_LEN, field, 'LabelPair');
      if (field === 1) name = r.string();
      else value = r.string();
    } else {
      r.skip(field);
    }
  }
  // defineProperty keeps a label named `__proto__` an own property.
  Object.defineProperty(into, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Gauge.value / Untyped.value (field 1). */
function readValue(r: Reader): number {
  let value = 0;
  while (r.pos < r.end) {
    const field = r.tag();
    if (field === 1) {
      r.expect(WIRE_FIXED64, field, 'value');
      value = r.double();
    } else {
      r.skip(field);
    }
  }
  return value;
}

function readCounter(r: Reader, metric: DecodedMetric): void {
  metric.value = 0;
  while (r.pos < r.end) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE_FIXED64, field, 'Counter');
        metric.value = r.double();
        break;
      case 2:
        r.expect(WIRE_LEN, field, 'Counter');
        metric.exemplar = readExemplar(r.sub());
        break;
      case 3:
        r.expect(WIRE_LEN, field, 'Counter');
        metric.createdTimestamp = readTimestamp(r.sub());
        break;
      default:
        r.skip(field);
    }
  }
}

function readSummary(r: Reader, metric: DecodedMetric): DecodedSummary {
  const summary: DecodedSummary = { count: 0, sum: 0, quantiles: [] };
  while (r.pos < r.end) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE_VARINT, field, 'Summary');
        summary.count = r.varint();
        break;
      case 2:
        r.expect(WIRE_FIXED64, field, 'Summary');
        summary.sum = r.double();
        break;
      case 3:
        r.expect(WIRE_LEN, field, 'Summary');
        summary.quantiles.push(readQuantile(r.sub()));
        break;
      case 4:
        r.expect(WIRE_LEN, field, 'Summary');
        metric.createdTimestamp = readTimestamp(r.sub());
        break;
      default:
        r.skip(field);
    }
  }
  return summary;
}

function readQuantile(r: Reader): DecodedQuantile {
  const quantile: DecodedQuantile = { quantile: 0, value: 0 };
  while (r.pos < r.end) {
    const field = r.tag();
    if (field === 1 || field === 2) {
      r.expect(WIRE_FIXED64, field, 'Quantile');
      if (field === 1) quantile.quantile = r.double();
      else quantile.value = r.double();
    } else {
      r.skip(field);
    }
  }
  return quantile;
}

function emptyNative(): DecodedNativeHistogram {
  return {
    schema: 0,
    zeroThreshold: 0,
    zeroCount: 0,
    positiveSpans: [],
    positiveDeltas: [],
    negativeSpans: [],
    negativeDeltas: [],
  };
}

function readHistogram(r: Reader, metric: DecodedMetric): DecodedHistogram {
  const histogram: DecodedHistogram = { count: 0, sum: 0, buckets: [] };
  let countFloat = 0;
  let zeroCountFloat = 0;
  let native: DecodedNativeHistogram | undefined;
  const nativeFields = (): DecodedNativeHistogram => {
    native ??= emptyNative();
    return native;
  };
  while (r.pos < r.end) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE_VARINT, field, 'Histogram');
        histogram.count = r.varint();
        break;
      case 2:
        r.expect(WIRE_FIXED64, field, 'Histogram');
        histogram.sum = r.double();
        break;
      case 3:
        r.expect(WIRE_LEN, field, 'Histogram');
        histogram.buckets.push(readBucket(r.sub()));
        break;
      case 4:
        r.expect(WIRE_FIXED64, field, 'Histogram');
        countFloat = r.double();
        break;
      case 5:
        r.expect(WIRE_VARINT, field, 'Histogram');
        nativeFields().schema = r.zigzag();
        break;
      case 6:
        r.expect(WIRE_FIXED64, field, 'Histogram');
        nativeFields().zeroThreshold = r.double();
        break;
      case 7:
        r.expect(WIRE_VARINT, field, 'Histogram');
        nativeFields().zeroCount = r.varint();
        break;
      case 8:
        r.expect(WIRE_FIXED64, field, 'Histogram');
        nativeFields();
        zeroCountFloat = r.double();
        break;
      case 9:
        r.expect(WIRE_LEN, field, 'Histogram');
        nativeFields().negativeSpans.push(readSpan(r.sub()));
        break;
      case 10:
        r.repeated(nativeFields().negativeDeltas, readZigzag);
        break;
      case 11: {
        const n = nativeFields();
        n.negativeCounts ??= [];
        r.repeated(n.negativeCounts, readDouble);
        break;
      }
      case 12:
        r.expect(WIRE_LEN, field, 'Histogram');
        nativeFields().positiveSpans.push(readSpan(r.sub()));
        break;
      case 13:
        r.repeated(nativeFields().positiveDeltas, readZigzag);
        break;
      case 14: {
        const n = nativeFields();
        n.positiveCounts ??= [];
        r.repeated(n.positiveCounts, readDouble);
        break;
      }
      case 15:
        r.expect(WIRE_LEN, field, 'Histogram');
        metric.createdTimestamp = readTimestamp(r.sub());
        break;
      case 16:
        r.expect(WIRE_LEN, field, 'Histogram');
        histogram.exemplars ??= [];
        histogram.exemplars.push(readExemplar(r.sub()));
        break;
      default:
        r.skip(field);
    }
  }
  if (countFloat > 0) histogram.count = countFloat;
  if (native !== undefined) {
    if (zeroCountFloat > 0) native.zeroCount = zeroCountFloat;
    histogram.native = native;
  }
  return histogram;
}

function readBucket(r: Reader): DecodedBucket {
  const bucket: DecodedBucket = { upperBound: 0, cumulativeCount: 0 };
  let countFloat = 0;
  while (r.pos < r.end) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE_VARINT, field, 'Bucket');
        bucket.cumulativeCount = r.varint();
        break;
      case 2:
        r.expect(WIRE_FIXED64, field, 'Bucket');
        bucket.upperBound = r.double();
        break;
      case 3:
        r.expect(WIRE_LEN, field, 'Bucket');
        bucket.exemplar = readExemplar(r.sub());
        break;
      case 4:
        r.expect(WIRE_FIXED64, field, 'Bucket');
        countFloat = r.double();
        break;
      default:
        r.skip(field);
    }
  }
  if (countFloat > 0) bucket.cumulativeCount = countFloat;
  return bucket;
}

function readSpan(r: Reader): DecodedBucketSpan {
  const span: DecodedBucketSpan = { offset: 0, length: 0 };
  while (r.pos < r.end) {
    const field = r.tag();
    if (field === 1 || field === 2) {
      r.expect(WIRE_VARINT, field, 'BucketSpan');
      if (field === 1) span.offset = r.zigzag();
      else span.length = r.varint();
    } else {
      r.skip(field);
    }
  }
  return span;
}

function readExemplar(r: Reader): DecodedExemplar {
  const exemplar: DecodedExemplar = { labels: {}, value: 0 };
  while (r.pos < r.end) {
    const field = r.tag();
    switch (field) {
      case 1:
        r.expect(WIRE_LEN, field, 'Exemplar');
        readLabelPair(r.sub(), exemplar.labels);
        break;
      case 2:
        r.expect(WIRE_FIXED64, field, 'Exemplar');
        exemplar.value = r.double();
        break;
      case 3:
        r.expect(WIRE_LEN, field, 'Exemplar');
        exemplar.timestamp = readTimestamp(r.sub());
        break;
      default:
        r.skip(field);
    }
  }
  return exemplar;
}

/** A google.protobuf.Timestamp as seconds since the epoch. */
function readTimestamp(r: Reader): number {
  let seconds = 0;
  let nanos = 0;
  while (r.pos < r.end) {
    const field = r.tag();
    if (field === 1 || field === 2) {
      r.expect(WIRE_VARINT, field, 'Timestamp');
      if (field === 1) seconds = r.int64();
      else nanos = r.int64();
    } else {
      r.skip(field);
    }
  }
  return seconds + nanos / 1e9;
}
