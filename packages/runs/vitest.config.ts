import { defineConfig } from 'vitest/config';
export default defineConfig({
  test: {
    globalSetup: ['@curio/vitest-config/temp-root'],
    setupFiles: ['@curio/vitest-config/temp-dir-per-file'],
    include: ['src/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
