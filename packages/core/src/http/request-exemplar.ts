import { CheckedExemplarLabels } from '../metrics/exemplar';
import type { Labels } from '../model';
import { wellFormed } from '../well-formed';

/** OpenMetrics: an exemplar's label names and values together hold at most 128 characters. */
export const MAX_EXEMPLAR_RUNES = 128;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * One request's exemplar labels: the span captured when it started (`trace_id`,
 * `span_id`), then the hook's labels. A hook label is dropped, never cut, when its name
 * is not a valid label name, its value is not a string, the name is already taken (the
 * trace labels win), or it would take the set past 128 characters; later labels that
 * still fit are kept. Values are never truncated: a shortened id links to nothing.
 * `undefined` when nothing is left. Never throws.
 */
export function requestExemplar<Req, Res>(
  trace: Labels | undefined,
  hook: ((req: Req, res: Res) => unknown) | undefined,
  req: Req,
  res: Res,
): Labels | undefined {
  if (hook === undefined) return trace;
  let extra: unknown;
  try {
    extra = hook(req, res);
  } catch {
    extra = undefined;
  }
  if (typeof extra !== 'object' || extra === null) return trace;
  const out = new CheckedExemplarLabels();
  let runes = 0;
  if (trace !== undefined) {
    for (const name in trace) {
      out[name] = trace[name]!;
      runes += name.length + trace[name]!.length;
    }
  }
  let added = false;
  try {
    for (const name of Object.keys(extra)) {
      const value = (extra as Record<string, unknown>)[name];
      if (typeof value !== 'string' || !LABEL_NAME.test(name) || name.startsWith('__')) continue;
      if (name in out) continue;
      const size = runeCount(name) + runeCount(value);
      if (runes + size > MAX_EXEMPLAR_RUNES) continue;
      out[name] = wellFormed(value);
      runes += size;
      added = true;
    }
  } catch {
    return trace;
  }
  return added ? out : trace;
}

function runeCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
