import { collectFamilies } from '../collect';
import { ConfigError } from '../errors';
import type { Collector, MetricFamily } from '../model';
import type { NameValidation } from '../validate';
import { escapeFamilies } from './escape-families';
import type { EscapingScheme } from './name-escaping';
import { type ExpositionFormat, negotiate } from './negotiate';
import { encodeOpenMetrics } from './openmetrics';
import { encodeProtobuf } from './protobuf';
import { encodeText } from './text';

/** What `render` reads from a source besides its families, when it has them (a `Registry` does). */
interface NamingSource {
  /** `'utf8'` when names may lie outside the legacy set. */
  readonly nameValidation?: NameValidation;
  /** Told about names one scrape's escaping made equal. */
  reportNameCollision?(message: string): void;
}

/** How `encode` spells names. */
export interface EncodeOptions {
  /** The scrape's escaping scheme (`negotiate()` gives it). Default: names as they are. */
  readonly escaping?: EscapingScheme;
  /**
   * `'utf8'` when the families may hold names outside the legacy set, which are then
   * escaped (or quoted) for `escaping`. Default `'legacy'`: names are written as given.
   */
  readonly nameValidation?: NameValidation;
  /** Told about names the escaping made equal (the later one is left out). */
  readonly onNameCollision?: (message: string) => void;
  /**
   * `_created` samples in OpenMetrics text. Default false: Prometheus 2.x stores each one
   * as an extra series. Protobuf carries created timestamps as a field either way.
   */
  readonly openMetricsCreated?: boolean;
}

/** What a caller of `render` may choose; the scrape's Accept header decides the rest. */
export type RenderOptions = Pick<EncodeOptions, 'openMetricsCreated'>;

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
export async function render(
  source: Collector,
  accept?: string | null,
  renderOptions?: RenderOptions,
): Promise<Rendered> {
  const format = negotiate(accept);
  const families = await collectFamilies(source);
  const naming = source as Collector & NamingSource;
  const options: EncodeOptions = {
    escaping: format.escaping,
    nameValidation: naming.nameValidation ?? 'legacy',
    onNameCollision: (message) => naming.reportNameCollision?.(message),
    openMetricsCreated: renderOptions?.openMetricsCreated === true,
  };
  return {
    body: encode(families, format.name, options),
    contentType: format.contentType,
    format: format.name,
  };
}

/** Encodes families in the named format: a string for the text formats, bytes for protobuf. */
export function encode(
  families: readonly MetricFamily[],
  formatName: ExpositionFormat['name'],
  options: EncodeOptions = {},
): string | Uint8Array {
  const escaping = options.escaping;
  // A legacy source's names need no work, except that `dots` also doubles underscores.
  // Protobuf needs no quoting: under allow-utf-8 its names go out as they are.
  const named =
    escaping !== undefined &&
    (options.nameValidation === 'utf8' || escaping === 'dots') &&
    !(escaping === 'allow-utf-8' && formatName === 'protobuf')
      ? escapeFamilies(
          families,
          escaping,
          formatName !== 'protobuf',
          options.onNameCollision ?? (() => {}),
        )
      : families;
  switch (formatName) {
    case 'text':
      return encodeText(named, { escaping });
    case 'openmetrics':
      return encodeOpenMetrics(named, { escaping, created: options.openMetricsCreated === true });
    case 'protobuf':
      return encodeProtobuf(named);
    default:
      throw new ConfigError(`unknown exposition format ${JSON.stringify(formatName)}`);
  }
}
