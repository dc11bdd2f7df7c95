/** The wait before retry number `retry` (1-based): min · 2^(retry-1), capped at max. */
export function backoffSeconds(retry: number, minSeconds: number, maxSeconds: number): number {
  return Math.min(maxSeconds, minSeconds * 2 ** (retry - 1));
}

/**
 * Seconds a `Retry-After` header asks to wait (delta-seconds or an HTTP date), capped at
 * `maxSeconds`; `undefined` when absent or unreadable.
 */
export function retryAfterSeconds(
  header: string | null,
  nowMs: number,
  maxSeconds: number,
): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  let seconds: number;
  if (/^\d+$/.test(text)) seconds = Number(text);
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.max(0, (at - nowMs) / 1000);
  }
  return Math.min(seconds, maxSeconds);
}
