import { testConfig } from '@curio/vitest-config';

// One file at a time: the machines have two cores, and both tests train a model.
export default testConfig({
  include: ['*.test.ts'],
  testTimeout: 180_000,
  hookTimeout: 180_000,
  fileParallelism: false,
});
