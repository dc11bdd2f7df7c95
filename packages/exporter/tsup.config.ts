import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    // The bin's build runs alongside and writes dist/sample: leave it alone.
    clean: ['!sample/**'],
    target: 'es2022',
  },
  {
    // The sample bin: ESM only, with a shebang so npm can link it as an executable.
    entry: { 'sample/cli': 'src/sample/cli.ts' },
    format: ['esm'],
    sourcemap: false,
    target: 'es2022',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
