import { testConfig } from '@curio/vitest-config';

export default testConfig({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 120_000,
  // Setup starts a backend and writes tiny data: seconds, but more on a busy 2-core machine.
  hookTimeout: 120_000,
  fileParallelism: false,
});
