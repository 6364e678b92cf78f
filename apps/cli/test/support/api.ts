// A real API for CLI tests: createApp on the test database (PGlite in memory, or PostgreSQL when
// DATABASE_URL is set), served on 127.0.0.1 on a free port. Its dispatcher has no room, so runs
// stay queued (the demo test runs real workers).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { beginAttempt, createApp, fireDueSchedules, resolveDeps, type AppDeps } from '@curio/api';
import { serve, type ServerType } from '@hono/node-server';
import { tempDir } from './cli.js';

export const ADMIN_TOKEN = 'admin-token-for-cli-tests-0123456789';

const idleDispatcher: AppDeps['dispatcher'] = {
  kind: 'local',
  capacity: 0,
  active: () => 0,
  dispatch: async () => {
    throw new Error('no workers in CLI tests');
  },
  terminate: async () => {},
  close: async () => {},
};

export interface ServedApi {
  url: string;
  /** An owner key of a fresh team. */
  key: string;
  teamId: string;
  /** Grant the team a server directory (the admin route), so pools and eval sets may name it. */
  grant(dir: string): Promise<void>;
  /** Begins a queued run's attempt, as a dispatcher would: the worker token, to act as its worker. */
  beginAttempt(runId: string): Promise<{ token: string; attempt: number }>;
  /** Fire the schedules due at `now`, as the API's scheduler would then; the runs started. */
  fireSchedules(now: Date): Promise<string[]>;
  close(): Promise<void>;
}

export async function serveApi(
  db: AppDeps['db'],
  overrides: Partial<AppDeps> = {},
): Promise<ServedApi> {
  const blobRoot = await mkdtemp(join(tmpdir(), 'curio-cli-blobs-'));
  const holder: { app?: ReturnType<typeof createApp> } = {};
  const server: ServerType = await new Promise((ok, fail) => {
    const s = serve(
      { fetch: (req) => holder.app!.fetch(req), hostname: '127.0.0.1', port: 0 },
      () => ok(s),
    );
    s.once('error', fail);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const deps: AppDeps = {
    db,
    dispatcher: idleDispatcher,
    blobRoot,
    publicUrl: url,
    adminToken: ADMIN_TOKEN,
    timing: { streamPollMs: 100 },
    log: () => {},
    ...overrides,
  };
  holder.app = createApp(deps);
  const res = await fetch(`${url}/v1/bootstrap`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ teamName: 'CLI tests', email: 'cli@example.com' }),
  });
  if (res.status !== 201) throw new Error(`bootstrap: ${res.status} ${await res.text()}`);
  const made = (await res.json()) as { team: { id: string }; key: { secret: string } };
  return {
    url,
    key: made.key.secret,
    teamId: made.team.id,
    grant: async (dir) => {
      const granted = await fetch(`${url}/v1/admin/teams/${made.team.id}/grants`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ kind: 'directory', location: dir }),
      });
      if (granted.status !== 201)
        throw new Error(`grant: ${granted.status} ${await granted.text()}`);
    },
    async beginAttempt(runId) {
      const request = await beginAttempt(resolveDeps(deps), runId);
      if (!request) throw new Error(`run ${runId} is not queued`);
      return { token: request.token, attempt: request.attempt };
    },
    fireSchedules: (now) => fireDueSchedules(resolveDeps({ ...deps, now: () => now })),
    close: async () => {
      (server as Server).closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await rm(blobRoot, { recursive: true, force: true });
    },
  };
}

/** GET a path with a key: what the API itself answers, to compare the CLI's --json with. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are checked by their assertions
export async function apiGet<T = any>(api: ServedApi, path: string, key = api.key): Promise<T> {
  const res = await fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The environment a `curio` command needs to talk to `api` as its team, with a fresh data folder. */
export async function cliEnv(api: ServedApi): Promise<Record<string, string>> {
  return { CURIO_API_URL: api.url, CURIO_API_KEY: api.key, CURIO_DATA_DIR: await tempDir() };
}
