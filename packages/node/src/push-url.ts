import { ConfigError, InvalidNameError } from '@promkit/core';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * One `/<name>/<value>` pair of a Pushgateway path. Values that are empty or contain `/`
 * go as `<name>@base64/<url-safe base64>` (`=` for the empty value, which an empty
 * path segment could not carry); every other value is percent-encoded.
 */
export function pathPair(name: string, value: string): string {
  if (value === '') return `/${name}@base64/=`;
  if (value.includes('/'))
    return `/${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `/${name}/${encodeURIComponent(value)}`;
}

/**
 * The group path `/metrics/job/<job>{/<label>/<value>}` the Pushgateway expects.
 *
 * @example
 * groupPath('batch', { instance: 'a/b' }); // '/metrics/job/batch/instance@base64/YS9i'
 */
export function groupPath(job: string, groupingKey: Readonly<Record<string, string>> = {}): string {
  if (typeof job !== 'string' || job === '') {
    throw new ConfigError(`Pusher: job must be a non-empty string, got ${JSON.stringify(job)}`);
  }
  let path = `/metrics${pathPair('job', job)}`;
  for (const name of Object.keys(groupingKey)) {
    const value = groupingKey[name];
    if (!LABEL_NAME.test(name) || name.startsWith('__')) {
      throw new InvalidNameError(
        `Pusher: grouping key label name ${JSON.stringify(name)} is not a valid label name`,
      );
    }
    if (name === 'job') {
      throw new ConfigError(
        'Pusher: the grouping key cannot contain "job"; it is the job argument',
      );
    }
    if (typeof value !== 'string') {
      throw new ConfigError(
        `Pusher: grouping key label "${name}" must have a string value, got ${typeof value}`,
      );
    }
    path += pathPair(name, value);
  }
  return path;
}
