import { testConfig } from '@curio/vitest-config';

// One file at a time: the machines are small and PGlite is CPU-bound. E2E tests start trainer
// processes and take longer.
export default testConfig({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  fileParallelism: false,
});
