import { collectFamilies } from '../collect';
import { ConfigError } from '../errors';
import type { Collector, MetricFamily } from '../model';
import { type ExpositionFormat, negotiate } from './negotiate';
import { encodeOpenMetrics } from './openmetrics';
import { encodeProtobuf } from './protobuf';
import { encodeText } from './text';

export interface Rendered {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly format: ExpositionFormat['name'];
}

/**
 * Collects `source` and encodes it in the format the `Accept` header asks for.
 *
 * @example
 * const { body, contentType } = await render(REGISTRY, req.headers.accept);
 * res.setHeader('Content-Type', contentType).end(body);
 */
export async function render(source: Collector, accept?: string | null): Promise<Rendered> {
  const format = negotiate(accept);
  const families = await collectFamilies(source);
  return {
    body: encode(families, format.name),
    contentType: format.contentType,
    format: format.name,
  };
}

/** Encodes families in the named format: a string for the text formats, bytes for protobuf. */
export function encode(
  families: readonly MetricFamily[],
  formatName: ExpositionFormat['name'],
): string | Uint8Array {
  switch (formatName) {
    case 'text':
      return encodeText(families);
    case 'openmetrics':
      return encodeOpenMetrics(families);
    case 'protobuf':
      return encodeProtobuf(families);
    default:
      throw new ConfigError(`unknown exposition format ${JSON.stringify(formatName)}`);
  }
}
