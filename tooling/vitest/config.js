// The Vitest config every workspace shares: its own temporary folders (temp-root.js,
// temp-dir-per-file.js) and a 30 s test timeout; a workspace passes what differs (include,
// timeouts, one file at a time).
import { defineConfig } from 'vitest/config';

/** @param {import('vitest/node').InlineConfig} test */
export function testConfig(test) {
  return defineConfig({
    test: {
      globalSetup: ['@curio/vitest-config/temp-root'],
      setupFiles: ['@curio/vitest-config/temp-dir-per-file'],
      testTimeout: 30_000,
      ...test,
    },
  });
}
