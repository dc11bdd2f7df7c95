import {
  encodeProtobuf,
  encodeText,
  type MetricFamily,
  PROTOBUF_CONTENT_TYPE,
  TEXT_FORMAT,
} from '@promkit/core';

/**
 * The body format of a push: `protobuf` (delimited `io.prometheus.client.MetricFamily`),
 * `text` (0.0.4), or `auto`: protobuf when the families hold native histograms or
 * exemplars, which text 0.0.4 cannot carry, text otherwise.
 */
export type PushFormat = 'auto' | 'protobuf' | 'text';

export const PUSH_FORMATS: readonly PushFormat[] = ['auto', 'protobuf', 'text'];

export interface PushBody {
  readonly body: string | Uint8Array;
  readonly contentType: string;
}

/** Encodes families (timestamps already stripped) in the format a push uses. */
export function pushBody(families: readonly MetricFamily[], format: PushFormat): PushBody {
  const protobuf = format === 'protobuf' || (format === 'auto' && needsProtobuf(families));
  return protobuf
    ? { body: encodeProtobuf(families), contentType: PROTOBUF_CONTENT_TYPE }
    : { body: encodeText(families), contentType: TEXT_FORMAT.contentType };
}

/** Whether any point holds what only protobuf carries: native buckets or an exemplar. */
export function needsProtobuf(families: readonly MetricFamily[]): boolean {
  for (const family of families) {
    if (family.type === 'counter') {
      if (family.points.some((point) => point.exemplar !== undefined)) return true;
    } else if (family.type === 'histogram') {
      for (const { value } of family.points) {
        if (value.native !== undefined) return true;
        if (value.exemplars?.some((exemplar) => exemplar !== undefined) === true) return true;
      }
    }
  }
  return false;
}
