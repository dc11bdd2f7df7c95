import type { MetricFamily } from '../model';
import type { ValueColumns } from '../snapshot';
import { ByteWriter } from './byte-writer';

// Field tags from proto/metrics.proto (as in protobuf.ts).
const FAMILY_METRIC = 0x22;
const METRIC_LABEL = 0x0a;
const METRIC_GAUGE = 0x12;
const METRIC_COUNTER = 0x1a;
const METRIC_UNTYPED = 0x2a;
const LABEL_NAME = 0x0a;
const LABEL_VALUE = 0x12;
const VALUE_DOUBLE = 0x09;
const COUNTER_CREATED = 0x1a;
const TIMESTAMP_SECONDS = 0x08;
const TIMESTAMP_NANOS = 0x10;

/** Reused by every call (encoding is synchronous), so its buffer stays grown. */
let scratch: ByteWriter | undefined;
const MAX_KEPT_BUFFER = 8 * 1024 * 1024;
/** Label names and values of the series being written (see `SeriesView.labelPairs`). */
const pairs: string[] = [];

/**
 * The `metric` fields of points `from`..`to` of a counter, gauge or untyped family given
 * as columns: the bytes protobuf.ts writes for the same points, written straight into
 * one buffer from the series' label pairs and the value column.
 */
export function protobufColumnMetrics(
  type: MetricFamily['type'],
  columns: ValueColumns,
  from: number,
  to: number,
): Uint8Array {
  const w = scratch ?? new ByteWriter();
  scratch = undefined;
  w.reset();
  const { indices, values, series } = columns;
  const created = type === 'counter' ? columns.created : undefined;
  const valueTag =
    type === 'counter' ? METRIC_COUNTER : type === 'untyped' ? METRIC_UNTYPED : METRIC_GAUGE;
  for (let i = from; i < to; i++) {
    const index = indices[i]!;
    const n = series.labelPairs(index, pairs);
    w.byte(FAMILY_METRIC);
    const metric = w.begin();
    for (let k = 0; k < n; k++) {
      w.byte(METRIC_LABEL);
      const pair = w.begin();
      w.string(LABEL_NAME, pairs[2 * k]!);
      w.string(LABEL_VALUE, pairs[2 * k + 1]!);
      w.end(pair);
    }
    w.byte(valueTag);
    if (created === undefined) {
      w.byte(9);
      w.byte(VALUE_DOUBLE);
      w.double(values[index]!);
    } else {
      const value = w.begin();
      w.byte(VALUE_DOUBLE);
      w.double(values[index]!);
      writeTimestamp(w, COUNTER_CREATED, created[index]!);
      w.end(value);
    }
    w.end(metric);
  }
  const bytes = w.finish();
  if (w.buf.length <= MAX_KEPT_BUFFER) scratch = w;
  return bytes;
}

/** A google.protobuf.Timestamp from seconds since the epoch (as protobuf.ts writes it). */
function writeTimestamp(w: ByteWriter, tag: number, seconds: number): void {
  let whole = Math.floor(seconds);
  let nanos = Math.round((seconds - whole) * 1e9);
  if (nanos >= 1e9) {
    whole += 1;
    nanos -= 1e9;
  }
  w.byte(tag);
  const at = w.begin();
  if (whole !== 0) {
    w.byte(TIMESTAMP_SECONDS);
    w.int64(whole);
  }
  if (nanos !== 0) {
    w.byte(TIMESTAMP_NANOS);
    w.varint(nanos);
  }
  w.end(at);
}
