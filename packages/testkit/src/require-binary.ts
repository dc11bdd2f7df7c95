import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { MissingServiceError } from './errors';

const DEBIAN_PACKAGE: Record<string, string> = {
  prometheus: 'prometheus',
  promtool: 'prometheus',
  'prometheus-pushgateway': 'prometheus-pushgateway',
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
  'victoria-metrics': 'victoria-metrics',
};

const FALLBACK_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin'];
const resolved = new Map<string, string>();

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** What to install to get `name`; scripts/install-services.sh installs every test service. */
export function installHint(name: string): string {
  const pkg = DEBIAN_PACKAGE[name];
  const script = 'scripts/install-services.sh installs every service the tests use';
  return pkg === undefined
    ? `install it and put it on PATH (${script})`
    : `install the Debian package "${pkg}" (apt-get install -y ${pkg}); ${script}`;
}

/**
 * Absolute path of an installed service binary, searched on PATH, then /usr/bin, /usr/sbin.
 * Throws `MissingServiceError` naming the Debian package to install when it is absent.
 *
 * @example
 * const prometheus = requireBinary('prometheus'); // '/usr/bin/prometheus'
 */
export function requireBinary(name: string): string {
  const cached = resolved.get(name);
  if (cached !== undefined) return cached;
  const pathDirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of [...pathDirs, ...FALLBACK_DIRS]) {
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) {
      resolved.set(name, candidate);
      return candidate;
    }
  }
  throw new MissingServiceError(
    `The test service binary "${name}" was not found on PATH or in ${FALLBACK_DIRS.join(', ')}: ${installHint(name)}.`,
  );
}
