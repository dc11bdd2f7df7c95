import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanEnv } from '../src/consumer-project';
import { typecheck } from '../src/typecheck';

// The installed tarballs loaded as a user would: `import` from an ES module, `require`
// from CommonJS, and type-checked from .mts and .cts files of a strict NodeNext project.
const consumer = inject('consumer');
const dir = join(consumer.dir, 'formats');

function node(file: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: cleanEnv() });
}

let esmDiagnostics: Map<string, string[]>;
let cjsDiagnostics: Map<string, string[]>;

beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  const names = consumer.tarballs.map((t) => t.name);
  writeFileSync(
    join(dir, 'esm.mjs'),
    `const out = {};\n${names.map((n) => `out[${JSON.stringify(n)}] = Object.keys(await import(${JSON.stringify(n)})).sort();`).join('\n')}\nconsole.log(JSON.stringify(out));\n`,
  );
  writeFileSync(
    join(dir, 'cjs.cjs'),
    `const out = {};\n${names.map((n) => `out[${JSON.stringify(n)}] = Object.keys(require(${JSON.stringify(n)})).sort();`).join('\n')}\nconsole.log(JSON.stringify(out));\n`,
  );
  // Each package's value exports, used, so a declaration that does not resolve fails.
  const typeProbe = names
    .map(
      (n, i) =>
        `import * as p${i} from ${JSON.stringify(n)};\nexport const k${i}: string[] = Object.keys(p${i});`,
    )
    .join('\n');
  writeFileSync(join(dir, 'types.mts'), `${typeProbe}\n`);
  writeFileSync(join(dir, 'types.cts'), `${typeProbe}\n`);
  // Two programs: a project is ESM or CommonJS. Loading both declaration sets in one
  // program makes fastify's `declare module 'fastify'` augmentation clash with itself.
  esmDiagnostics = typecheck(consumer.dir, ['formats/types.mts']);
  cjsDiagnostics = typecheck(consumer.dir, ['formats/types.cts']);
});

describe('ESM and CommonJS', () => {
  it('every package loads through import and through require, with the same exports', () => {
    const esm = node('esm.mjs');
    const cjs = node('cjs.cjs');
    expect(esm.stderr).toBe('');
    expect(cjs.stderr).toBe('');
    const esmExports = JSON.parse(esm.stdout) as Record<string, string[]>;
    const cjsExports = JSON.parse(cjs.stdout) as Record<string, string[]>;
    for (const { name } of consumer.tarballs) {
      expect(esmExports[name]?.length, `${name} exports something`).toBeGreaterThan(0);
      // `default`: fastify's plugin is a default export, which CJS spells `exports.default`.
      const withoutDefault = (keys: string[] | undefined) => keys?.filter((k) => k !== 'default');
      expect(withoutDefault(cjsExports[name]), name).toEqual(withoutDefault(esmExports[name]));
    }
  });

  it('the packaged declarations type-check from an ES module (.mts)', () => {
    expect([...esmDiagnostics.values()].flat().join('\n')).toBe('');
  });

  it('the packaged declarations type-check from a CommonJS module (.cts)', () => {
    expect([...cjsDiagnostics.values()].flat().join('\n')).toBe('');
  });
});
