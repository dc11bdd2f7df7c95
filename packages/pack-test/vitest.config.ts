import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One npm install of every tarball, shared by all test files.
    globalSetup: ['test/global-setup.ts'],
    // The files run README blocks as child processes; one file at a time on 2 cores.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
