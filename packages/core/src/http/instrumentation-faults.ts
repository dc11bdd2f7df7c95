import { InstrumentationError } from '../errors';
import { Counter } from '../metrics/counter';
import type { Registry } from '../registry';
import { reuseOrCreate } from './reuse-metric';

/** Counts faults of the HTTP instrumentation, by stage. */
export const INSTRUMENTATION_ERRORS_METRIC = 'promkit_instrumentation_errors_total';

/**
 * Where a fault happened: `start` (a request arriving), `route` (the framework's route
 * template lookup), `labels` (the `labels` hook threw or returned something not a label
 * set), `normalizePath` (the hook threw or returned a non-string), `record` (a metric
 * update), `exemplar` (an exemplar hook), `adapter` (an adapter's hook or listener).
 */
export type InstrumentationStage =
  | 'start'
  | 'route'
  | 'labels'
  | 'normalizePath'
  | 'record'
  | 'exemplar'
  | 'adapter';

/** Told about every instrumentation fault; what it throws is ignored. */
export type InstrumentationErrorHandler = (
  error: InstrumentationError,
  stage: InstrumentationStage,
) => void;

/**
 * Catches what the instrumentation must never throw into the app: counts it in
 * `promkit_instrumentation_errors_total{stage}` and reports it through `onError` (by
 * default one `console.warn` per stage, so a fault on every request cannot flood the
 * log). Reporting itself never throws.
 */
export class InstrumentationFaults {
  private readonly counter: Counter<'stage'> | undefined;
  private readonly onError: InstrumentationErrorHandler;
  private readonly warned = new Set<InstrumentationStage>();

  constructor(registry: Registry, onError: InstrumentationErrorHandler | undefined) {
    this.counter = reuseOrCreate<Counter<'stage'>>(
      registry,
      {
        type: 'counter',
        name: INSTRUMENTATION_ERRORS_METRIC,
        labelNames: ['stage'],
        constLabels: {},
      },
      () =>
        new Counter(
          INSTRUMENTATION_ERRORS_METRIC,
          'Faults of the HTTP instrumentation that were caught (the request was answered unchanged), by stage.',
          { labelNames: ['stage'] as const, registry },
        ),
    );
    this.onError = onError ?? ((error, stage) => this.warnOnce(error, stage));
  }

  /** Counts and reports `cause`, caught at `stage`. */
  report(stage: InstrumentationStage, cause: unknown): void {
    try {
      this.counter?.inc({ stage });
    } catch {
      // A registry that cannot count: the report below still goes out.
    }
    try {
      this.onError(
        new InstrumentationError(
          `HTTP instrumentation failed at stage "${stage}" (the request was answered unchanged): ${describe(cause)}`,
          { cause },
        ),
        stage,
      );
    } catch {
      // onError must not be able to break the app either.
    }
  }

  private warnOnce(error: InstrumentationError, stage: InstrumentationStage): void {
    if (this.warned.has(stage)) return;
    this.warned.add(stage);
    console.warn(
      `promkit: ${error.message} (further faults at stage "${stage}" are only counted in ${INSTRUMENTATION_ERRORS_METRIC})`,
    );
  }
}

function describe(cause: unknown): string {
  try {
    if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
    return String(cause);
  } catch {
    return 'an unprintable value';
  }
}
