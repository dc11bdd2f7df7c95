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
    return this.withTimeout(this.inFlight);
  }

  private async invoke(): Promise<void> {
    await this.hook();
  }

  private withTimeout(pending: Promise<void>): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.logger.warning('update hook timed out, serving the last values', {
          timeout_ms: this.timeoutMs,
        });
        resolve();
      }, this.timeoutMs);
      timer.unref();
      void pending.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
