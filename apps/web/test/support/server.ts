// The API as `curio serve` runs it (PGlite in a temp folder, local trainer workers), serving the
// built dashboard on the same origin, with short stream and heartbeat intervals for the tests;
// and the tiny synthetic data its runs train on.
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readApiEnv } from '@curio/api/env';
import { startApi, type RunningApi } from '@curio/api/server';
import { trainerBinPath } from '@curio/dispatch';

export const ADMIN_TOKEN = 'dashboard-test-admin-token-0123456789abcdef';

export async function startDashboardApi(
  dataDir: string,
  more: Record<string, string> = {},
): Promise<RunningApi> {
  const env = readApiEnv({
    CURIO_DATA_DIR: dataDir,
    CURIO_API_PORT: '0',
    CURIO_ADMIN_TOKEN: ADMIN_TOKEN,
    CURIO_DISPATCHER: 'local',
    CURIO_HEARTBEAT_SECONDS: '1',
    ...more,
  });
  const timing = { heartbeatSeconds: 1, streamPollMs: 200, dispatchIntervalMs: 200 };
  return startApi({ env, deps: { timing } });
}

/** A synthetic pool (300 pairs), metadata (names + synonyms) and eval set under `dir`. */
export async function writeSyntheticData(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'curio-web-data-'));
  await promisify(execFile)(process.execPath, [
    trainerBinPath(),
    'synth',
    '--out',
    dir,
    '--pool-size',
    '300',
    '--on-target',
    '0.3',
    '--eval-per-class',
    '3',
  ]);
  return dir;
}

/** Lets the team read `dir` (what `curio serve` does for the folder it was started in). */
export async function grantDirectory(apiUrl: string, teamId: string, dir: string): Promise<void> {
  const res = await fetch(`${apiUrl}/v1/admin/teams/${teamId}/grants`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'directory', location: dir }),
  });
  if (res.status !== 201) throw new Error(`granting ${dir}: ${res.status} ${await res.text()}`);
}
