import { type Agent, request } from 'node:http';
import type { createHttpMetrics } from '../../src/http/http-metrics';

/** GETs `path` (on `agent` when given) and reads the whole answer; resolves its status. */
export function get(port: number, path: string, agent?: Agent): Promise<number | undefined> {
  return new Promise((resolve, reject) =>
    request({ host: '127.0.0.1', port, path, ...(agent === undefined ? {} : { agent }) }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    })
      .on('error', reject)
      .end(),
  );
}

/** Resolves once every tracker settled (the in-flight gauge is back to 0), or after ~1 s. */
export async function settled(http: ReturnType<typeof createHttpMetrics>): Promise<void> {
  for (let i = 0; i < 200 && (http.inFlight?.get() ?? 0) > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
