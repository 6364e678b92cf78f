import { describe, expect, it } from 'vitest';
import { inheritedWorkerEnv } from './env.js';

describe('inheritedWorkerEnv', () => {
  it('keeps the ordinary environment and withholds the store and every secret', () => {
    const env = inheritedWorkerEnv({
      PATH: '/usr/bin',
      HOME: '/root',
      CURIO_TF_BACKEND: 'cpu',
      CURIO_DATA_DIR: '.curio',
      KEYBOARD: 'us', // not a secret for containing KEY
      DATABASE_URL: 'postgres://u:p@h/db',
      PGPASSWORD: 'p',
      CURIO_ADMIN_TOKEN: 'admin',
      CURIO_API_KEY: 'ck_x',
      MODAL_TOKEN_ID: 'ak',
      MODAL_TOKEN_SECRET: 's',
      AWS_SECRET_ACCESS_KEY: 's',
      CURIO_RUN_TOKEN: 'stale',
      CURIO_DEVICE: 'cpu',
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/root',
      CURIO_TF_BACKEND: 'cpu',
      CURIO_DATA_DIR: '.curio',
      KEYBOARD: 'us',
    });
  });
});
