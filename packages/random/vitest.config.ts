import { testConfig } from '@curio/vitest-config';

export default testConfig({
  include: ['src/**/*.test.ts'],
});
