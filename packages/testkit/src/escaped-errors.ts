import { afterAll, beforeAll } from 'vitest';

/**
 * Collects every `uncaughtException` and `unhandledRejection` while the calling `describe`
 * runs, so a test can assert that nothing escaped into the process. Call it inside a
 * `describe`; the returned array fills as errors escape.
 */
export function collectEscapedErrors(): unknown[] {
  const escaped: unknown[] = [];
  const sentinel = (error: unknown): void => {
    escaped.push(error);
  };
  beforeAll(() => {
    process.on('uncaughtException', sentinel);
    process.on('unhandledRejection', sentinel);
  });
  afterAll(() => {
    process.off('uncaughtException', sentinel);
    process.off('unhandledRejection', sentinel);
  });
  return escaped;
}
