import { KeptProtoWriter, ProtoWriter } from '@promkit/core/wire';
import type { Label, Metadata, NativeSample, TimeSeries } from './time-series';

type Writer = ProtoWriter;

// Field tags (field number << 3 | wire type) from proto/remote.proto and proto/types.proto.
const REQUEST_TIMESERIES = 0x0a;
const REQUEST_METADATA = 0x1a;

const SERIES_LABEL = 0x0a;
const SERIES_SAMPLE = 0x12;
const SERIES_HISTOGRAM = 0x22;

const LABEL_NAME = 0x0a;
const LABEL_VALUE = 0x12;

const SAMPLE_VALUE = 0x09;
const SAMPLE_TIMESTAMP = 0x10;

const HISTOGRAM_COUNT_INT = 0x08;
const HISTOGRAM_COUNT_FLOAT = 0x11;
const HISTOGRAM_SUM = 0x19;
const HISTOGRAM_SCHEMA = 0x20;
const HISTOGRAM_ZERO_THRESHOLD = 0x29;
const HISTOGRAM_ZERO_COUNT_INT = 0x30;
const HISTOGRAM_ZERO_COUNT_FLOAT = 0x39;
const HISTOGRAM_NEGATIVE_SPAN = 0x42;
const HISTOGRAM_NEGATIVE_DELTAS = 0x4a; // packed sint64
const HISTOGRAM_POSITIVE_SPAN = 0x5a;
const HISTOGRAM_POSITIVE_DELTAS = 0x62; // packed sint64
const HISTOGRAM_TIMESTAMP = 0x78;

const SPAN_OFFSET = 0x08;
const SPAN_LENGTH = 0x10;

const METADATA_TYPE = 0x08;
const METADATA_NAME = 0x12;
const METADATA_HELP = 0x22;
const METADATA_UNIT = 0x2a;

const UINT64_LIMIT = 2 ** 64;

const requestWriter = new KeptProtoWriter();

/**
 * Encodes a `prometheus.WriteRequest`, every sample stamped `timestampMs`, field by field
 * on core's ProtoWriter (no reflection, no code generation, no global `Buffer`).
 */
export function encodeWriteRequest(
  series: readonly TimeSeries[],
  metadata: readonly Metadata[],
  timestampMs: number,
): Uint8Array {
  const ts = Math.trunc(timestampMs);
  // Every sample has the same timestamp: its varint is encoded once, and a Sample's length
  // is known without forking (1 + 8 bytes of value, 1 + the timestamp's varint).
  const stamp = new ProtoWriter(16).uint32(SAMPLE_TIMESTAMP).int64(ts).finish();
  const sampleLength = 9 + stamp.length;
  return requestWriter.encode((w) => {
    for (const s of series) {
      w.uint32(REQUEST_TIMESERIES).fork();
      for (const label of s.labels) writeLabel(w, label);
      if (s.histogram !== undefined) writeHistogram(w, s.histogram, ts);
      else {
        w.uint32(SERIES_SAMPLE).uint32(sampleLength);
        w.uint32(SAMPLE_VALUE).double(s.value ?? Number.NaN);
        w.raw(stamp);
      }
      w.ldelim();
    }
    for (const m of metadata) {
      w.uint32(REQUEST_METADATA).fork();
      if (m.type !== 0) w.uint32(METADATA_TYPE).uint32(m.type);
      w.uint32(METADATA_NAME).string(m.name);
      if (m.help !== '') w.uint32(METADATA_HELP).string(m.help);
      if (m.unit !== '') w.uint32(METADATA_UNIT).string(m.unit);
      w.ldelim();
    }
  });
}

function writeLabel(w: Writer, label: Label): void {
  w.uint32(SERIES_LABEL).fork();
  w.uint32(LABEL_NAME).string(label.name);
  w.uint32(LABEL_VALUE).string(label.value);
  w.ldelim();
}

function writeHistogram(w: Writer, h: NativeSample, ts: number): void {
  w.uint32(SERIES_HISTOGRAM).fork();
  if (isUint64(h.count)) w.uint32(HISTOGRAM_COUNT_INT).uint64(h.count);
  else w.uint32(HISTOGRAM_COUNT_FLOAT).double(h.count);
  w.uint32(HISTOGRAM_SUM).double(h.sum);
  w.uint32(HISTOGRAM_SCHEMA).sint32(h.schema);
  w.uint32(HISTOGRAM_ZERO_THRESHOLD).double(h.zeroThreshold);
  if (isUint64(h.zeroCount)) w.uint32(HISTOGRAM_ZERO_COUNT_INT).uint64(h.zeroCount);
  else w.uint32(HISTOGRAM_ZERO_COUNT_FLOAT).double(h.zeroCount);
  writeSpans(w, HISTOGRAM_NEGATIVE_SPAN, h.negativeSpans);
  writeDeltas(w, HISTOGRAM_NEGATIVE_DELTAS, h.negativeDeltas);
  writeSpans(w, HISTOGRAM_POSITIVE_SPAN, h.positiveSpans);
  writeDeltas(w, HISTOGRAM_POSITIVE_DELTAS, h.positiveDeltas);
  w.uint32(HISTOGRAM_TIMESTAMP).int64(ts);
  w.ldelim();
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

function writeDeltas(w: Writer, tag: number, deltas: readonly number[]): void {
  if (deltas.length === 0) return;
  w.uint32(tag).fork();
  for (const delta of deltas) w.sint64(delta);
  w.ldelim();
}

function isUint64(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < UINT64_LIMIT;
}
