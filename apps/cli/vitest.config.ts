import { defineConfig } from 'vitest/config';

// One file at a time: the machines have two cores, and the demo test trains a model.
export default defineConfig({
  test: {
    globalSetup: ['@curio/vitest-config/temp-root'],
    setupFiles: ['@curio/vitest-config/temp-dir-per-file'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
