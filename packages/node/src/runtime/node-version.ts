import { labelText } from '@promkit/core';
import type { RuntimeContext, RuntimeGroup } from './runtime-family';

/** `nodejs_version_info{version,major,minor,patch} 1`, a gauge as in prom-client. */
export function nodeVersion(ctx: RuntimeContext): RuntimeGroup {
  const name = `${ctx.prefix}nodejs_version_info`;
  const [major = '', minor = '', patch = ''] = process.version.slice(1).split('.');
  const labels = { version: process.version, major, minor, patch, ...ctx.labels };
  const point = { labels, labelText: labelText(labels), value: 1 };
  return {
    names: [name],
    aggregation: { [name]: 'first' },
    collect: () => [{ name, help: 'Node.js version info.', type: 'gauge', points: [point] }],
  };
}
