// The built package as users load it: `@promkit/core` and `@promkit/core/http` are two
// entry points over shared chunks, so each output format has one REGISTRY and one set of
// classes whichever entry a module imports first. Runs node on dist/ (pnpm build first).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs `source` with node inside the package, which resolves `@promkit/core` to itself. */
function run(source: string, inputType: 'module' | 'commonjs'): string {
  for (const file of ['index.js', 'index.cjs', 'http.js', 'http.cjs']) {
    if (!existsSync(`${packageDir}dist/${file}`)) {
      throw new Error(`dist/${file} is missing: run pnpm build before the core tests`);
    }
  }
  return execFileSync(process.execPath, [`--input-type=${inputType}`, '-e', source], {
    cwd: packageDir,
    encoding: 'utf8',
  }).trim();
}

// Metrics made through the /http entry must land in the root entry's default registry.
const CHECK = `
const http = createHttpMetrics({ metrics: { inFlight: true } });
http.start('GET', '/x', {}, {}).end(200);
const names = REGISTRY.getAll().map((c) => c.name);
console.log(JSON.stringify({
  sameRegistry: http.registry === REGISTRY,
  registered: names.includes('http_responses_total'),
  recordIsPrivate: typeof http.record === 'undefined' && typeof http.discard === 'undefined',
}));`;

const EXPECTED = { sameRegistry: true, registered: true, recordIsPrivate: true };

describe('entry points', () => {
  it('share one module graph in the ESM build', () => {
    const out = run(
      `import { REGISTRY } from '@promkit/core';
       import { createHttpMetrics } from '@promkit/core/http';${CHECK}`,
      'module',
    );
    expect(JSON.parse(out)).toEqual(EXPECTED);
  });

  it('share one module graph in the CommonJS build', () => {
    const out = run(
      `const { REGISTRY } = require('@promkit/core');
       const { createHttpMetrics } = require('@promkit/core/http');${CHECK}`,
      'commonjs',
    );
    expect(JSON.parse(out)).toEqual(EXPECTED);
  });

  it('keep internals and the decoder out of the root entry', () => {
    const out = run(
      `const core = require('@promkit/core');
       console.log(JSON.stringify(['decodeProtobuf', 'NativeBuckets', 'nativeBucketIndex',
         'resolveNativeHistogramOptions', 'escapeHelp', 'escapeLabelValue', 'ObjectMetric',
         'createHttpMetrics', 'metricsResponder', 'RequestTracker'].filter((n) => n in core)));`,
      'commonjs',
    );
    expect(JSON.parse(out)).toEqual([]);
  });
});
