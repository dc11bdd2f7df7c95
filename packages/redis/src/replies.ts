/**
 * Normalises replies that differ between RESP2 and RESP3 (ioredis 6 speaks RESP3 by
 * default; a caller's client may use either).
 */

/** HGETALL: an object, a Map, or a flat `[field, value, …]` array → entries. */
export function hashEntries(reply: unknown): Array<[string, string]> {
  if (reply === null || reply === undefined) return [];
  if (reply instanceof Map) return [...reply].map(([k, v]) => [String(k), String(v)]);
  if (Array.isArray(reply)) {
    const out: Array<[string, string]> = [];
    for (let i = 0; i + 1 < reply.length; i += 2)
      out.push([String(reply[i]), String(reply[i + 1])]);
    return out;
  }
  if (typeof reply === 'object') {
    return Object.entries(reply as Record<string, unknown>).map(([k, v]) => [k, String(v)]);
  }
  return [];
}

/** ZRANGE … WITHSCORES: `[member, score, …]` (RESP2) or `[[member, score], …]` (RESP3). */
export function scoredMembers(reply: unknown): Array<[string, number]> {
  if (!Array.isArray(reply)) return [];
  const out: Array<[string, number]> = [];
  if (reply.length > 0 && Array.isArray(reply[0])) {
    for (const pair of reply as unknown[][]) out.push([String(pair[0]), Number(pair[1])]);
    return out;
  }
  for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), Number(reply[i + 1])]);
  return out;
}

/** TIME → milliseconds since the epoch. */
export function redisTimeMs(reply: unknown): number {
  const [seconds, micros] = reply as [string | number, string | number];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/** The results of `pipeline.exec()`, throwing the first command error. */
export function pipelineResults(results: Array<[Error | null, unknown]> | null): unknown[] {
  if (results === null) throw new Error('pipeline was discarded');
  return results.map(([error, value]) => {
    if (error !== null) throw error;
    return value;
  });
}
