// The deployment's pure parts: the Hyperdrive origin parsed from DATABASE_URL, the settings read
// from the deploying shell, and the Worker's environment in the API's own env names.
import { describe, expect, it } from 'vitest';
import { readApiEnv } from '@curio/api/env';
import { readDeploySettings } from './env.js';
import {
  DISPATCHER_SECRETS,
  SECRETS,
  dispatcherEnvironment,
  hyperdriveOrigin,
  r2Endpoint,
  workerBindings,
  workerEnvironment,
} from './plan.js';

const account = '0123456789abcdef0123456789abcdef';
const settings = {
  CLOUDFLARE_DEFAULT_ACCOUNT_ID: account,
  CURIO_DOMAIN: 'curio.example.org',
  CURIO_MODAL_IMAGE: 'ghcr.io/acme/curio-worker:1',
};

describe('hyperdriveOrigin', () => {
  it('splits a postgres URL into the parts Hyperdrive wants, decoding them', () => {
    expect(hyperdriveOrigin('postgres://curio:p%40ss@db.example.org:6543/curio%2Dprod')).toEqual({
      scheme: 'postgres',
      host: 'db.example.org',
      port: 6543,
      database: 'curio-prod',
      user: 'curio',
      password: 'p@ss',
    });
    expect(hyperdriveOrigin('postgresql://u:p@h/db').port).toBe(5432);
  });

  it('names what a bad URL lacks, never echoing it', () => {
    expect(() => hyperdriveOrigin('not a url')).toThrow(/DatabaseUrl is not a URL/);
    expect(() => hyperdriveOrigin('mysql://u:p@h/db')).toThrow(/postgres:\/\/ URL, not mysql/);
    expect(() => hyperdriveOrigin('postgres://h')).toThrow(
      /lacks a user, a password, a database name/,
    );
    expect(() => hyperdriveOrigin('postgres://u:hunter2@h')).toThrow(
      /^DatabaseUrl lacks a database name$/,
    );
  });
});

describe('readDeploySettings', () => {
  it('reads the domain, image and defaults', () => {
    expect(readDeploySettings(settings)).toEqual({
      accountId: account,
      publicUrl: 'https://curio.example.org',
      domain: 'curio.example.org',
      modalImage: 'ghcr.io/acme/curio-worker:1',
      maxWorkers: 4,
      device: 'nvidia-t4',
    });
    const workersDev = readDeploySettings({
      ...settings,
      CURIO_DOMAIN: '',
      CURIO_PUBLIC_URL: 'https://curio.acme.workers.dev/',
      CURIO_MAX_WORKERS: '8',
    });
    expect(workersDev.publicUrl).toBe('https://curio.acme.workers.dev');
    expect(workersDev.domain).toBeUndefined();
    expect(workersDev.maxWorkers).toBe(8);
  });

  it('names every missing or bad setting at once', () => {
    const error = () =>
      readDeploySettings({ CURIO_DOMAIN: 'not a domain', CURIO_MAX_WORKERS: '0' });
    expect(error).toThrow(/CLOUDFLARE_DEFAULT_ACCOUNT_ID/);
    expect(error).toThrow(/CURIO_DOMAIN: not a domain is not a domain name/);
    expect(error).toThrow(/CURIO_MODAL_IMAGE/);
    expect(error).toThrow(/CURIO_MAX_WORKERS/);
    expect(() =>
      readDeploySettings({ ...settings, CURIO_DOMAIN: '', CURIO_PUBLIC_URL: 'http://x.dev' }),
    ).toThrow(/CURIO_PUBLIC_URL/);
  });
});

describe('workerEnvironment', () => {
  it('is an environment the API accepts, on R2 through its S3 endpoint', () => {
    const env = workerEnvironment(readDeploySettings(settings), 'curio-blobs');
    expect(env.CURIO_S3_ENDPOINT).toBe(r2Endpoint(account));
    const api = readApiEnv({
      ...env,
      [SECRETS.DatabaseUrl]: 'postgres://u:p@h/db',
      [SECRETS.AdminToken]: 'a'.repeat(32),
      [SECRETS.BucketAccessKeyId]: 'id',
      [SECRETS.BucketSecretAccessKey]: 'secret',
    });
    expect(api).toMatchObject({
      CURIO_PUBLIC_URL: 'https://curio.example.org',
      CURIO_S3_BUCKET: 'curio-blobs',
      CURIO_S3_REGION: 'auto',
      CURIO_DEVICE: 'nvidia-t4',
    });
  });
});

describe('dispatcherEnvironment', () => {
  it('is an API environment that only dispatches, to Modal, reaching the Worker', () => {
    const env = dispatcherEnvironment(readDeploySettings(settings));
    const secrets = Object.fromEntries(DISPATCHER_SECRETS.map((n) => [SECRETS[n], 'x']));
    const api = readApiEnv({ ...env, ...secrets, [SECRETS.DatabaseUrl]: 'postgres://u:p@h/db' });
    expect(api).toMatchObject({
      CURIO_BACKGROUND: ['dispatch'],
      CURIO_DISPATCHER: 'modal',
      CURIO_MODAL_IMAGE: 'ghcr.io/acme/curio-worker:1',
      CURIO_PUBLIC_URL: 'https://curio.example.org',
      CURIO_MAX_WORKERS: 4,
      CURIO_DEVICE: 'nvidia-t4',
    });
  });
});

describe('workerBindings', () => {
  it('binds Hyperdrive and every secret but the dispatcher secrets as secret text', () => {
    const values = Object.fromEntries(Object.keys(SECRETS).map((n) => [n, `value-of-${n}`]));
    const bindings = workerBindings('hd-1', values as Record<keyof typeof SECRETS, string>);
    expect(bindings[0]).toEqual({ name: 'HYPERDRIVE', type: 'hyperdrive', id: 'hd-1' });
    expect(bindings.slice(1)).toContainEqual({
      name: 'CURIO_SESSION_SECRET',
      type: 'secret_text',
      text: 'value-of-SessionSecret',
    });
    expect(bindings.map((b) => b.name).sort()).toEqual(
      [
        'HYPERDRIVE',
        'CURIO_SESSION_SECRET',
        'CURIO_ADMIN_TOKEN',
        'CURIO_S3_ACCESS_KEY_ID',
        'CURIO_S3_SECRET_ACCESS_KEY',
      ].sort(),
    );
    for (const name of DISPATCHER_SECRETS)
      expect(JSON.stringify(bindings)).not.toContain(`value-of-${name}`);
  });
});
