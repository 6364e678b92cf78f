// When serve and demo build the dashboard: dist missing, or older than a source file (named); not
// when it is current or CURIO_WEB_DIST names one; a missing vite stops with the fix.
import { mkdir, mkdtemp, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dashboardBuildReason, ensureDashboardBuilt } from './dashboard-build.js';

async function webDir(): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'curio-web-build-')), 'apps', 'web');
  await mkdir(join(dir, 'src', 'pages'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html>');
  await writeFile(join(dir, 'src', 'pages', 'runs.tsx'), 'export {};');
  await writeFile(join(dir, 'src', 'pages', 'runs.test.ts'), 'export {};');
  return dir;
}

const at = (file: string, seconds: number) => utimes(file, seconds, seconds);

describe('the dashboard build check', () => {
  it('builds when dist is missing or older than a source, not when it is current', async () => {
    const dir = await webDir();
    expect(await dashboardBuildReason(dir)).toBe('apps/web/dist is missing');
    await mkdir(join(dir, 'dist'));
    const built = join(dir, 'dist', 'index.html');
    await writeFile(built, '<!doctype html>');
    await at(join(dir, 'index.html'), 1000);
    await at(join(dir, 'src', 'pages', 'runs.tsx'), 1000);
    await at(join(dir, 'src', 'pages', 'runs.test.ts'), 3000); // tests are not built in
    await at(built, 2000);
    expect(await dashboardBuildReason(dir)).toBeUndefined();
    await at(join(dir, 'src', 'pages', 'runs.tsx'), 2500);
    expect(await dashboardBuildReason(dir)).toBe(
      'apps/web/dist is older than apps/web/src/pages/runs.tsx',
    );
  });

  it('leaves a named dashboard alone, and stops with the fix when vite is missing', async () => {
    const dir = await webDir();
    const said: string[] = [];
    await ensureDashboardBuilt({ CURIO_WEB_DIST: '/srv/web' }, (l) => said.push(l), dir);
    expect(said).toEqual([]);
    await expect(ensureDashboardBuilt({}, (l) => said.push(l), dir)).rejects.toThrow(
      /vite is not installed \(run `npm install`/,
    );
    expect(said).toEqual(['building the dashboard (apps/web/dist is missing) …']);
  });
});
