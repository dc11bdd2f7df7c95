import { withTimeout } from '@promkit/core';
import { describeError, type Logger } from './log/logger';

/**
 * Runs the exporter's update hook before a scrape. Scrapes that arrive while an update
 * is running wait for that same update rather than starting another. The returned
 * promise never rejects: a failing hook is logged and the scrape is answered with the
 * values the metrics already hold; a hook slower than `timeoutMs` is logged and left to
 * finish in the background.
 */
export class UpdateRunner {
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly hook: () => void | Promise<void>,
    private readonly logger: Logger,
    private readonly timeoutMs: number,
  ) {}

  run(): Promise<void> {
    if (this.inFlight === undefined) {
      const started = performance.now();
      this.inFlight = this.invoke()
        .then(
          () => {
            this.logger.debug('metrics updated', {
              duration_ms: round(performance.now() - started),
            });
          },
          (error: unknown) => {
            this.logger.error('update hook failed, serving the last values', {
              error: describeError(error),
            });
          },
        )
        .finally(() => {
          this.inFlight = undefined;
        });
    }
    // The hook keeps running past the timeout; this scrape just stops waiting for it.
    return withTimeout(this.inFlight, this.timeoutMs).catch(() => {
      this.logger.warning('update hook timed out, serving the last values', {
        timeout_ms: this.timeoutMs,
      });
    });
  }

  private async invoke(): Promise<void> {
    await this.hook();
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
