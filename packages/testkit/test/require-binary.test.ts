import { describe, expect, it } from 'vitest';
import { MissingServiceError, requireBinary } from '../src/index';
import { installHint } from '../src/require-binary';

describe('requireBinary', () => {
  it('resolves an installed service to an absolute path', () => {
    const path = requireBinary('prometheus');
    expect(path.startsWith('/')).toBe(true);
    expect(path.endsWith('/prometheus')).toBe(true);
  });

  it('throws MissingServiceError naming the binary and the install script', () => {
    let caught: unknown;
    try {
      requireBinary('promkit-no-such-binary');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MissingServiceError);
    expect((caught as MissingServiceError).code).toBe('PROMKIT_ERR_MISSING_SERVICE');
    expect((caught as Error).message).toContain('promkit-no-such-binary');
    expect((caught as Error).message).toContain('scripts/install-services.sh');
  });

  it('names the Debian package that ships each service', () => {
    expect(installHint('promtool')).toContain('"prometheus"');
    expect(installHint('prometheus-pushgateway')).toContain('"prometheus-pushgateway"');
    expect(installHint('redis-server')).toContain('apt-get install -y redis-server');
  });
});
