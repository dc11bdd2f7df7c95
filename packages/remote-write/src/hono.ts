import type { Context, MiddlewareHandler, Next } from 'hono';
import type { RemoteWriter } from './remote-writer';

/**
 * Hono middleware for Workers (and any runtime without long-lived timers): after each
 * request, pushes when the writer's last push started at least `intervalSeconds` ago, handed
 * to `c.executionCtx.waitUntil` so the isolate stays alive until it is sent. The response
 * never waits for the push and a failed push never reaches it (`onError` hears of it).
 *
 * @example
 * const writer = new RemoteWriter({ url: env.REMOTE_WRITE_URL, intervalSeconds: 30 });
 * app.use(metricsMiddleware());
 * app.use(remoteWriteOnRequest(writer));
 */
export function remoteWriteOnRequest(writer: RemoteWriter): MiddlewareHandler {
  return async function promkitRemoteWrite(c: Context, next: Next): Promise<void> {
    await next();
    const push = writer.pushIfDue();
    if (push === undefined) return;
    let ctx: { waitUntil(promise: Promise<unknown>): void } | undefined;
    try {
      ctx = c.executionCtx;
    } catch {
      // No execution context (Node, Bun, Deno): the push runs on by itself.
    }
    ctx?.waitUntil(push);
  };
}
