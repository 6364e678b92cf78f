import { testConfig } from '@curio/vitest-config';

export default testConfig({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  // The CiT resume test took 92 s in CI, with the suite's workspaces sharing 2 cores.
  testTimeout: 240_000,
  // Setup starts a backend and writes tiny data: seconds, but more on a busy 2-core machine.
  hookTimeout: 120_000,
  fileParallelism: false,
});
