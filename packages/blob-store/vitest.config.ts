import { defineConfig } from 'vitest/config';
// forks: s3rver's logger hooks process-wide exception handlers, which hang worker threads.
export default defineConfig({
  test: { include: ['src/**/*.test.ts'], testTimeout: 30_000, pool: 'forks' },
});
