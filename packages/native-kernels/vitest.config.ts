import { testConfig } from '@curio/vitest-config';

export default testConfig({
  include: ['src/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  fileParallelism: false,
});
