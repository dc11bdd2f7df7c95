import type { Labels } from '../model';
import { CheckedExemplarLabels } from './exemplar';

// OpenTelemetry is read through the registration its API keeps on globalThis, never
// imported. An import would make @opentelemetry/api a hard dependency, or an async
// import() that cannot answer the synchronous first request, or a require() that ESM
// builds, bundlers and edge runtimes cannot all follow; and two copies of the API (ESM
// and CJS, or two versions) share this one registration anyway. These two keys are the
// API's stable contract: `Symbol.for('opentelemetry.js.api.<major>')` holds the
// registered globals, `Symbol.for('OpenTelemetry Context Key SPAN')` is the context key
// of the active span (createContextKey is Symbol.for).
const API_KEY = Symbol.for('opentelemetry.js.api.1');
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');
const INVALID_TRACE_ID = '00000000000000000000000000000000';
const INVALID_SPAN_ID = '0000000000000000';
/** W3C trace flags: the `sampled` bit. */
const SAMPLED = 1;

interface OtelGlobals {
  readonly context?: { active(): { getValue(key: symbol): unknown } | undefined };
}

interface SpanLike {
  spanContext(): { traceId: unknown; spanId: unknown; traceFlags: unknown };
}

/** Whether anything registered the OpenTelemetry API in this process (or realm). */
export function openTelemetryPresent(): boolean {
  try {
    return (globalThis as Record<symbol, unknown>)[API_KEY] !== undefined;
  } catch {
    return false;
  }
}

/**
 * The active OpenTelemetry span as exemplar labels, `{ trace_id, span_id }`, when there
 * is one and it is sampled; otherwise (no OpenTelemetry, no context manager, no span,
 * not sampled, anything odd) `undefined`. Never throws. Pass it to `incWithExemplar` or
 * `observeWithExemplar`, which record no exemplar for `undefined`.
 *
 * @example
 * latency.observeWithExemplar({ queue: 'mail' }, seconds, traceExemplar());
 */
export function traceExemplar(): Labels | undefined {
  try {
    const api = (globalThis as Record<symbol, unknown>)[API_KEY] as OtelGlobals | undefined;
    const span = api?.context?.active()?.getValue(SPAN_KEY) as SpanLike | undefined;
    if (span === undefined || typeof span.spanContext !== 'function') return undefined;
    const { traceId, spanId, traceFlags } = span.spanContext();
    if (typeof traceFlags !== 'number' || (traceFlags & SAMPLED) !== SAMPLED) return undefined;
    if (typeof traceId !== 'string' || typeof spanId !== 'string') return undefined;
    // Lengths only: they keep the set within 128 characters, and whatever the characters,
    // the writers escape them. (A character check cost more than the rest of the read.)
    if (traceId.length !== 32 || spanId.length !== 16) return undefined;
    if (traceId === INVALID_TRACE_ID || spanId === INVALID_SPAN_ID) return undefined;
    const labels = new CheckedExemplarLabels();
    labels.trace_id = traceId;
    labels.span_id = spanId;
    return labels;
  } catch {
    return undefined;
  }
}
