import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkDir, removeStaleWorkDirs } from './work-dir.js';

describe('worker work folders', () => {
  it('removes the folders of workers that are gone and keeps the live ones', async () => {
    const root = await mkdtemp(join(tmpdir(), 'curio-workdirs-'));
    const live = await createWorkDir('run_live', root);
    // A worker killed with -9: its pid no longer runs.
    const dead = await createWorkDir('run_dead', root);
    const exited = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(join(dead, 'owner.pid'), String(exited));
    await writeFile(join(dead, 'partial.bin'), new Uint8Array(8));
    // No owner file: removed once old, kept while it may still be being created.
    const oldUnowned = join(root, 'curio-worker-run_old-abc');
    const newUnowned = join(root, 'curio-worker-run_new-abc');
    await mkdir(oldUnowned);
    await mkdir(newUnowned);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(oldUnowned, hourAgo, hourAgo);
    await mkdir(join(root, 'someone-else'));

    const removed = await removeStaleWorkDirs(root);
    expect(removed.sort()).toEqual([dead, oldUnowned].sort());
    expect((await readdir(root)).sort()).toEqual(
      ['curio-worker-run_new-abc', live.split('/').at(-1)!, 'someone-else'].sort(),
    );
  });
});
