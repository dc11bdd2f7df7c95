import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { FORMATS_DIR } from '../src/consumer-files';
import { cleanEnv } from '../src/consumer-project';

// The installed tarballs loaded as a user would: `import` from an ES module, `require`
// from CommonJS, and type-checked (by the global setup) from .mts and .cts files of a
// strict NodeNext project.
const consumer = inject('consumer');
const diagnostics = inject('diagnostics');

function node(file: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [file], {
    cwd: join(consumer.dir, FORMATS_DIR),
    encoding: 'utf8',
    env: cleanEnv(),
  });
}

function errorsOf(file: string): string {
  return (diagnostics[join(FORMATS_DIR, file)] ?? []).join('\n');
}

describe('ESM and CommonJS', () => {
  it('every entry point loads through import and through require, with the same exports', () => {
    const esm = node('esm.mjs');
    const cjs = node('cjs.cjs');
    expect(esm.stderr).toBe('');
    expect(cjs.stderr).toBe('');
    const esmExports = JSON.parse(esm.stdout) as Record<string, string[]>;
    const cjsExports = JSON.parse(cjs.stdout) as Record<string, string[]>;
    // `default`: fastify's plugin is a default export, which CJS spells `exports.default`.
    const withoutDefault = (keys: string[] | undefined) => keys?.filter((k) => k !== 'default');
    for (const name of consumer.tarballs.flatMap((t) => t.entryPoints)) {
      expect(esmExports[name]?.length, `${name} exports something`).toBeGreaterThan(0);
      expect(withoutDefault(cjsExports[name]), name).toEqual(withoutDefault(esmExports[name]));
    }
  });

  it('the packaged declarations type-check from an ES module (.mts)', () => {
    expect(errorsOf('types.mts')).toBe('');
  });

  it('the packaged declarations type-check from a CommonJS module (.cts)', () => {
    expect(errorsOf('types.cts')).toBe('');
  });

  it('every bin runs from node_modules/.bin (--version)', () => {
    const bins = consumer.tarballs.flatMap((t) => t.bins);
    for (const bin of bins) {
      const result = spawnSync(join(consumer.dir, 'node_modules', '.bin', bin), ['--version'], {
        cwd: consumer.dir,
        encoding: 'utf8',
        env: cleanEnv(),
      });
      expect(result.status, `${bin} --version: ${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/\d+\.\d+\.\d+/);
    }
  });

  it('tsc reported no error outside the files the tests look at', () => {
    const known = (file: string) =>
      file.startsWith('blocks/') || file.startsWith(`${FORMATS_DIR}/`);
    expect(Object.keys(diagnostics).filter((file) => !known(file))).toEqual([]);
  });
});
