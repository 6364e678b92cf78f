import type { InlineConfig } from 'vitest/node';
import type { UserConfig } from 'vitest/config';

/** The shared Vitest config with a workspace's own test settings laid over it. */
export function testConfig(test: InlineConfig): UserConfig;
