import { testConfig } from '@curio/vitest-config';

// One file at a time: the machines have two cores, and the demo test trains a model.
export default testConfig({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 120_000,
  hookTimeout: 60_000,
  fileParallelism: false,
});
