import { testConfig } from '@curio/vitest-config';

// One file at a time: the machines are small and PGlite is CPU-bound. E2E tests start trainer
// processes and take longer.
export default testConfig({
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
  fileParallelism: false,
  // The files share one process: PGlite's WebAssembly, hono, drizzle and zod load once, not per
  // file, which halves this workspace's CPU time. Each file still gets its own temp folder and
  // databases; nothing in the API keeps module state between files.
  isolate: false,
});
