// The built dashboard from the API's origin: files as they are, page paths get index.html, /v1
// stays the API's, missing files stay 404s, and the pages cannot be framed.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { testApi } from '../support/api.js';
import { tempDir } from '../support/data.js';

async function builtDashboard(): Promise<string> {
  const dist = await tempDir();
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><div id="app"></div>');
  await writeFile(join(dist, 'assets', 'app-1a2b3c.js'), 'console.log("app")');
  await writeFile(join(dist, '..', 'outside.txt'), 'not served');
  return dist;
}

describe('dashboard', () => {
  pgTest('served at / with an index.html fallback for page paths', async ({ db }) => {
    const api = await testApi(db, { webDist: await builtDashboard() });
    for (const path of ['/', '/runs/run_123', '/invite/some-token', '/login/t']) {
      const res = await api.call('GET', path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(await res.text()).toContain('<div id="app">');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
    const asset = await api.call('GET', '/assets/app-1a2b3c.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await api.call('GET', '/assets/missing.js')).status).toBe(404);
    expect((await api.call('GET', '/../outside.txt')).status).toBe(404);
    expect((await api.call('GET', '/%2e%2e/outside.txt')).status).toBe(404);

    const unknown = await api.call('GET', '/v1/no-such-route'); // the API's: no key, no page
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await api.call('GET', '/v1/health')).status).toBe(200);
    expect((await api.call('POST', '/runs/x')).status).toBe(404);
  });

  pgTest('not served when there is no build', async ({ db }) => {
    const api = await testApi(db);
    expect((await api.call('GET', '/')).status).toBe(404);
  });
});
