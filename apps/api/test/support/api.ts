// A test API over a test database: createApp with a dispatcher of capacity 0 (runs stay queued)
// unless one is given, a temp blob folder, quiet logs; plus a small request helper.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@curio/db';
import { createApp, resolveDeps, type AppContext, type AppDeps } from '../../src/app.js';
import { IdleDispatcher } from '../../src/services/idle-dispatcher.js';

export interface CallOptions {
  key?: string | undefined;
  json?: unknown;
  body?: RequestInit['body'];
  headers?: Record<string, string>;
}

export interface TestApi {
  app: ReturnType<typeof createApp>;
  ctx: AppContext;
  deps: AppDeps;
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** The JSON of a call that must answer `status` (loosely typed: tests read what they expect). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json<T = any>(method: string, path: string, status: number, options?: CallOptions): Promise<T>;
  cleanup(): Promise<void>;
}

export async function testApi(db: Db, overrides: Partial<AppDeps> = {}): Promise<TestApi> {
  const blobRoot = await mkdtemp(join(tmpdir(), 'curio-api-blobs-'));
  const deps: AppDeps = {
    db,
    dispatcher: new IdleDispatcher(),
    blobRoot,
    publicUrl: 'http://127.0.0.1:1',
    adminToken: ADMIN_TOKEN,
    log: () => {},
    ...overrides,
  };
  const app = createApp(deps);
  const call = (method: string, path: string, o: CallOptions = {}) => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.key) headers.authorization = `Bearer ${o.key}`;
    let body = o.body;
    if (o.json !== undefined) {
      body = JSON.stringify(o.json);
      headers['content-type'] ??= 'application/json';
    }
    return Promise.resolve(
      app.request(path, { method, headers, ...(body !== undefined && { body }) }),
    );
  };
  return {
    app,
    ctx: resolveDeps(deps),
    deps,
    call,
    async json(method, path, status, options) {
      const res = await call(method, path, options);
      const text = await res.text();
      if (res.status !== status)
        throw new Error(`${method} ${path}: expected ${status}, got ${res.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    cleanup: () => rm(blobRoot, { recursive: true, force: true }),
  };
}

/** Bootstrap a team (with the admin token, so any number of them) and return its owner key. */
export async function bootstrapTeam(
  api: TestApi,
  name: string,
  adminToken: string | undefined = ADMIN_TOKEN,
) {
  const res = await api.json<{ team: { id: string }; key: { secret: string; id: string } }>(
    'POST',
    '/v1/bootstrap',
    201,
    {
      json: {
        teamName: name,
        teamSlug: `${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`,
        email: `${name.toLowerCase().replace(/\W+/g, '-')}@example.com`,
      },
      key: adminToken,
    },
  );
  return { teamId: res.team.id, key: res.key.secret, keyId: res.key.id };
}

/** Grant the key's team a server directory through the admin route (already granted is fine). */
export async function grantDirectory(api: TestApi, key: string, dir: string): Promise<void> {
  const { team } = await api.json<{ team: { id: string } }>('GET', '/v1/teams/current', 200, {
    key,
  });
  const res = await api.call('POST', `/v1/admin/teams/${team.id}/grants`, {
    key: ADMIN_TOKEN,
    json: { kind: 'directory', location: dir },
  });
  if (res.status !== 201 && res.status !== 409)
    throw new Error(`granting ${dir}: ${res.status} ${await res.text()}`);
}

/** The problem+json body of an error answer. */
export async function problemOf(res: Response): Promise<{
  type: string;
  status: number;
  detail: string;
  /** Absent on problems that name no field (a test that reads it expects one). */
  errors: { path: string; message: string }[];
}> {
  return (await res.json()) as never;
}

export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
