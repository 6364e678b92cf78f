import { describe, expect, it } from 'vitest';
import { inheritedWorkerEnv } from './env.js';

describe('inheritedWorkerEnv', () => {
  it('keeps the ordinary environment and withholds credentials', () => {
    const env = inheritedWorkerEnv({
      PATH: '/usr/bin',
      HOME: '/root',
      CURIO_TF_BACKEND: 'cpu',
      DATABASE_URL: 'postgres://u:p@h/db',
      PGPASSWORD: 'p',
      CURIO_API_KEY: 'ck_x',
      MODAL_TOKEN_SECRET: 's',
      CURIO_RUN_TOKEN: 'stale',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/root', CURIO_TF_BACKEND: 'cpu' });
  });
});
