import { describe, expect, it } from 'vitest';
import { describeError, Logger } from '../src/log/logger';

function capture(options: ConstructorParameters<typeof Logger>[0]): {
  logger: Logger;
  lines: string[];
} {
  const lines: string[] = [];
  return { logger: new Logger({ ...options, write: (line) => lines.push(line) }), lines };
}

describe('Logger', () => {
  it('writes plain lines with quoted values where needed, filtered by level', () => {
    const { logger, lines } = capture({ level: 'warning' });
    logger.info('hidden');
    logger.warning('slow', { ms: 5, path: '/a b', ok: true, skipped: undefined });
    logger.critical('multi\nline');
    expect(lines).toEqual(['WARNING slow ms=5 path="/a b" ok=true\n', 'CRITICAL multi\\nline\n']);
    expect(logger.enabled('error')).toBe(true);
    expect(logger.enabled('info')).toBe(false);
  });

  it('writes JSON lines whose fixed keys cannot be overwritten by fields', () => {
    const { logger, lines } = capture({ level: 'debug', format: 'json' });
    logger.debug('request', { status: 200, level: 'fake', message: 'fake' });
    const record = JSON.parse(lines[0]!);
    expect(record).toMatchObject({ level: 'debug', message: 'request', status: 200 });
    expect(Object.keys(record)).toEqual(['level', 'message', 'time', 'status']);
  });

  it('describes errors with their causes, once each', () => {
    const inner = new Error('ECONNREFUSED');
    expect(describeError(new Error('cannot connect', { cause: inner }))).toBe(
      'cannot connect: ECONNREFUSED',
    );
    expect(describeError(new Error('cannot connect: ECONNREFUSED', { cause: inner }))).toBe(
      'cannot connect: ECONNREFUSED',
    );
    expect(describeError('plain string')).toBe('plain string');
  });
});
