// The worker's temporary folder: one per attempt under the system temp folder, named
// `curio-worker-<run>-…`, holding the pid of the process that owns it. A worker killed outright
// (kill -9, out of memory) leaves its folder behind; the next worker to start on the machine
// removes every such folder whose owner is gone.
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PREFIX = 'curio-worker-';
const OWNER = 'owner.pid';
/** A folder with no owner file yet may be one a worker is creating right now. */
const UNOWNED_GRACE_MS = 60_000;

export async function createWorkDir(runId: string, root = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(root, `${PREFIX}${runId.replace(/[^A-Za-z0-9_-]/g, '_')}-`));
  await writeFile(join(dir, OWNER), String(process.pid));
  return dir;
}

/** Removes the work folders of workers that are no longer running; returns them. */
export async function removeStaleWorkDirs(
  root = tmpdir(),
  isAlive: (pid: number) => boolean = processAlive,
): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(root).catch(() => [] as string[])) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(root, name);
    const pid = Number(await readFile(join(dir, OWNER), 'utf8').catch(() => ''));
    if (pid > 0 && Number.isInteger(pid)) {
      if (isAlive(pid)) continue;
    } else {
      const info = await stat(dir).catch(() => undefined);
      if (!info?.isDirectory() || Date.now() - info.mtimeMs < UNOWNED_GRACE_MS) continue;
    }
    await rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}
