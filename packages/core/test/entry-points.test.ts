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
  for (const file of ['index.js', 'index.cjs', 'http.js', 'http.cjs', 'wire.js', 'wire.cjs']) {
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

  it('give @promkit/core/wire the root entry’s error class, in ESM and CommonJS', () => {
    const check = `
      const w = new ProtoWriter().uint32(0x0a).string('é');
      let caught;
      try { w.ldelim(); } catch (error) { caught = error; }
      console.log(JSON.stringify({
        bytes: [...w.finish()],
        same: WireEncodingError === RootError && caught instanceof RootError,
        code: caught.code,
      }));`;
    const expected = {
      bytes: [0x0a, 2, 0xc3, 0xa9],
      same: true,
      code: 'PROMKIT_ERR_WIRE_ENCODING',
    };
    const esm = run(
      `import { WireEncodingError as RootError } from '@promkit/core';
       import { ProtoWriter, WireEncodingError } from '@promkit/core/wire';${check}`,
      'module',
    );
    const cjs = run(
      `const { WireEncodingError: RootError } = require('@promkit/core');
       const { ProtoWriter, WireEncodingError } = require('@promkit/core/wire');${check}`,
      'commonjs',
    );
    expect(JSON.parse(esm)).toEqual(expected);
    expect(JSON.parse(cjs)).toEqual(expected);
  });

  it('load no protobufjs', () => {
    const out = run(
      `import { createRequire } from 'node:module';
       await import('@promkit/core');
       await import('@promkit/core/wire');
       const loaded = Object.keys(createRequire(import.meta.url).cache);
       console.log(JSON.stringify(loaded.filter((f) => f.includes('protobufjs'))));`,
      'module',
    );
    expect(JSON.parse(out)).toEqual([]);
  });
});
