import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The soak test measures memory after a full collection.
    execArgv: ['--expose-gc'],
  },
});
