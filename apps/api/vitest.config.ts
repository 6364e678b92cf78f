import { defineConfig } from 'vitest/config';

// One file at a time: the machines are small and PGlite is CPU-bound. E2E tests start trainer
// processes and take longer.
export default defineConfig({
  test: {
    globalSetup: ['@curio/vitest-config/temp-root'],
    setupFiles: ['@curio/vitest-config/temp-dir-per-file'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
