import { concatBytes } from '../concat-bytes';
import { grownLength } from '../growth';
import type { Labels } from '../model';
import type { InternedLabels } from '../series/table';
import { utf8Length, varintLength, writeStringField, writeVarint } from '../wire/bytes';

// Field tags from proto/metrics.proto (as in protobuf.ts).
const METRIC_LABEL = 0x0a;
const LABEL_NAME = 0x0a;
const LABEL_VALUE = 0x12;

/**
 * One label position's `LabelPair` fields in protobuf: the name field, and the value
 * field (tag, length, UTF-8) of each interned value, encoded once per value (not per
 * series and scrape), in id order into one pool. A table's values are only ever
 * appended to their position's array, so the pool follows it by encoding the new ones.
 */
export class ValueFields {
  /** The `LabelPair.name` field. */
  readonly name: DataView;
  /** The value field of id `i` is `pool` bytes `offsets[i]` up to `offsets[i + 1]`. */
  pool: DataView = new DataView(new ArrayBuffer(0));
  offsets: Int32Array = new Int32Array(1);
  /** Ids encoded so far. */
  count = 0;
  /** Bytes of the longest value field. */
  longest = 0;

  constructor(name: string) {
    this.name = viewOf(stringField(LABEL_NAME, name));
  }

  /** Encodes the value fields of ids `count` … `end` − 1. */
  fill(
    escaped: readonly string[],
    raw: ReadonlyMap<number, string> | undefined,
    end: number,
  ): void {
    const from = this.count;
    if (end <= from) return;
    let used = this.offsets[from]!;
    let needed = used;
    for (let id = from; id < end; id++) {
      const length = utf8Length(rawValue(escaped, raw, id));
      needed += 1 + varintLength(length) + length;
    }
    if (needed > this.pool.byteLength) {
      const pool = new Uint8Array(grownLength(this.pool.byteLength, needed));
      pool.set(new Uint8Array(this.pool.buffer, 0, used));
      this.pool = viewOf(pool);
    }
    if (end + 1 > this.offsets.length) {
      const offsets = new Int32Array(grownLength(this.offsets.length, end + 1));
      offsets.set(this.offsets.subarray(0, from + 1));
      this.offsets = offsets;
    }
    const pool = new Uint8Array(this.pool.buffer);
    for (let id = from; id < end; id++) {
      used = writeStringField(pool, used, LABEL_VALUE, rawValue(escaped, raw, id));
      this.offsets[id + 1] = used;
      const length = used - this.offsets[id]!;
      if (length > this.longest) this.longest = length;
    }
    this.count = end;
  }
}

function rawValue(
  escaped: readonly string[],
  raw: ReadonlyMap<number, string> | undefined,
  id: number,
): string {
  return (raw === undefined ? undefined : raw.get(id)) ?? escaped[id]!;
}

/** What a writer of a family's series reads: per position its fields, and the const labels' bytes. */
export interface LabelFields {
  readonly positions: readonly ValueFields[];
  /** Every const label as a whole `Metric.label` field. */
  readonly constFields: DataView;
  /** The most bytes the `Metric.label` fields of one series take. */
  most: number;
}

/** Keyed by a table's per-position arrays of escaped values (see `InternedLabels.escaped`). */
const tables = new WeakMap<InternedLabels['escaped'], LabelFields>();

/**
 * The label fields of interned series, with every value the series at `indices[from..to)`
 * use encoded. Values are encoded as the slices that first use them are written (ids
 * grow in the order series are made), so a scrape's first protobuf encoding of 100 000
 * values is spread over its turns rather than done in one. Names here are the declared
 * names as they are: a scrape that escapes names takes the point path instead (render
 * escapes from points), so nothing cached here depends on a scrape.
 */
export function labelFieldsOf(
  interned: InternedLabels,
  indices: Int32Array,
  from: number,
  to: number,
): LabelFields {
  const escaped = interned.escaped;
  let fields = tables.get(escaped);
  if (fields === undefined) {
    fields = {
      positions: interned.names.map((name) => new ValueFields(name)),
      constFields: viewOf(constLabelFields(interned.constLabels)),
      most: 0,
    };
    tables.set(escaped, fields);
  }
  const positions = fields.positions;
  const width = positions.length;
  const ids = interned.ids;
  let most = fields.constFields.byteLength;
  for (let p = 0; p < width; p++) {
    const field = positions[p]!;
    let end = field.count;
    for (let i = from; i < to; i++) {
      const id = ids[indices[i]! * width + p]!;
      if (id >= end) end = id + 1;
    }
    field.fill(escaped[p]!, interned.raw[p], end);
    // Tag and a length of up to 5 bytes, around the name and value fields.
    most += 6 + field.name.byteLength + field.longest;
  }
  fields.most = most;
  return fields;
}

function constLabelFields(labels: Labels): Uint8Array {
  const pairs: Uint8Array[] = [];
  for (const name in labels) {
    const nameField = stringField(LABEL_NAME, name);
    const valueField = stringField(LABEL_VALUE, labels[name]!);
    const pair = nameField.length + valueField.length;
    const field = new Uint8Array(1 + varintLength(pair) + pair);
    field[0] = METRIC_LABEL;
    const at = writeVarint(field, 1, pair);
    field.set(nameField, at);
    field.set(valueField, at + nameField.length);
    pairs.push(field);
  }
  return concatBytes(pairs);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function stringField(tag: number, text: string): Uint8Array {
  const length = utf8Length(text);
  const field = new Uint8Array(1 + varintLength(length) + length);
  writeStringField(field, 0, tag, text);
  return field;
}
