import { join } from 'node:path';
import { build } from 'tsup';

export const FIXTURE_DIST = join(import.meta.dirname, 'fixtures', 'dist');

/**
 * Bundles the worker fixtures (TypeScript, importing ../src) to plain ESM, since forked
 * processes and worker threads run them with Node itself, outside vitest.
 */
export default async function setup(): Promise<void> {
  await build({
    entry: {
      'cluster-worker': join(import.meta.dirname, 'fixtures', 'cluster-worker.ts'),
      'thread-worker': join(import.meta.dirname, 'fixtures', 'thread-worker.ts'),
    },
    outDir: FIXTURE_DIST,
    format: ['esm'],
    target: 'node20',
    dts: false,
    sourcemap: false,
    clean: true,
    silent: true,
    config: false,
  });
}
