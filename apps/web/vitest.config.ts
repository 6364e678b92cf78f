import { testConfig } from '@curio/vitest-config';

// Unit tests of the pure modules, then the browser test (one Chromium, a real API and trainer).
export default testConfig({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 240_000,
  hookTimeout: 240_000,
  fileParallelism: false,
});
