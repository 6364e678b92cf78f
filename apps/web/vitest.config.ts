import { defineConfig } from 'vitest/config';

// Unit tests of the pure modules, then the browser test (one Chromium, a real API and trainer).
export default defineConfig({
  test: {
    globalSetup: ['@curio/vitest-config/temp-root'],
    setupFiles: ['@curio/vitest-config/temp-dir-per-file'],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    fileParallelism: false,
  },
});
