import type { MetricFamily } from '../model';
import type { ValueColumns } from '../snapshot';
import { ByteWriter, int64Length, utf8Length, varintLength } from './byte-writer';

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
/** UTF-8 lengths of `pairs`, then each pair's message length. */
const lengths: number[] = [];

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
    let labelsLength = 0;
    for (let k = 0; k < n; k++) {
      const nameLength = utf8Length(pairs[2 * k]!);
      const valueBytes = utf8Length(pairs[2 * k + 1]!);
      const pair =
        2 + varintLength(nameLength) + nameLength + varintLength(valueBytes) + valueBytes;
      lengths[2 * k] = nameLength;
      lengths[2 * k + 1] = valueBytes;
      lengths[2 * k + 2 * n] = pair;
      labelsLength += 1 + varintLength(pair) + pair;
    }
    let whole = 0;
    let nanos = 0;
    let timestampLength = 0;
    let valueLength = 9;
    if (created !== undefined) {
      const seconds = created[index]!;
      whole = Math.floor(seconds);
      nanos = Math.round((seconds - whole) * 1e9);
      if (nanos >= 1e9) {
        whole += 1;
        nanos -= 1e9;
      }
      if (whole !== 0) timestampLength += 1 + int64Length(whole);
      if (nanos !== 0) timestampLength += 1 + varintLength(nanos);
      valueLength += 1 + varintLength(timestampLength) + timestampLength;
    }
    const metricLength = labelsLength + 1 + varintLength(valueLength) + valueLength;
    w.byte(FAMILY_METRIC);
    w.varint(metricLength);
    for (let k = 0; k < n; k++) {
      const nameLength = lengths[2 * k]!;
      const valueBytes = lengths[2 * k + 1]!;
      w.byte(METRIC_LABEL);
      w.varint(lengths[2 * k + 2 * n]!);
      w.byte(LABEL_NAME);
      w.varint(nameLength);
      w.utf8(pairs[2 * k]!, nameLength);
      w.byte(LABEL_VALUE);
      w.varint(valueBytes);
      w.utf8(pairs[2 * k + 1]!, valueBytes);
    }
    w.byte(valueTag);
    w.varint(valueLength);
    w.byte(VALUE_DOUBLE);
    w.double(values[index]!);
    if (created !== undefined) {
      w.byte(COUNTER_CREATED);
      w.varint(timestampLength);
      if (whole !== 0) {
        w.byte(TIMESTAMP_SECONDS);
        w.int64(whole);
      }
      if (nanos !== 0) {
        w.byte(TIMESTAMP_NANOS);
        w.varint(nanos);
      }
    }
  }
  const bytes = w.finish();
  if (w.buf.length <= MAX_KEPT_BUFFER) scratch = w;
  return bytes;
}
