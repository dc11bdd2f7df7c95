import { defineConfig } from 'tsup';

export default defineConfig({
  // Three entry points over one module graph: with splitting (on for CJS too) their shared
  // modules land in common chunks, so `@promkit/core`, `/http` and `/wire` share one
  // REGISTRY and one set of classes per output format.
  entry: { index: 'src/index.ts', http: 'src/http.ts', wire: 'src/wire.ts' },
  format: ['esm', 'cjs'],
  splitting: true,
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'es2022',
});
