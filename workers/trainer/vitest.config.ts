import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    globalSetup: ['@curio/vitest-config/temp-root'],
    setupFiles: ['@curio/vitest-config/temp-dir-per-file'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    // Setup starts a backend and writes tiny data: seconds, but more on a busy 2-core machine.
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
