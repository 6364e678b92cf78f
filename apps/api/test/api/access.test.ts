// Auth and team isolation on EVERY route: the operations are read from the OpenAPI document, so a
// new route is checked without anyone remembering to. For each: no key, an unknown key and a
// revoked key are 401; team A's key on team B's objects is 404 (lists show none of them, creates
// cannot refer to them); a viewer cannot write; a worker token reaches only its own run's worker
// routes, and team keys none of them.
import { and, eq } from '@curio/db';
import { apiKeys, runs, schedules } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { bootstrapTeam, testApi, type TestApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';

interface Operation {
  method: string;
  path: string;
}

const PUBLIC = new Set([
  'POST /v1/bootstrap',
  // Sign-in routes take a password or a one-time token (browser-auth.test.ts checks them).
  'POST /v1/auth/signup',
  'POST /v1/auth/login',
  'POST /v1/invites/{token}/accept',
  'POST /v1/auth/login-links/{token}/redeem',
]);
/**
 * The caller's own session and sign-in links: a viewer may sign out, a key has no session, an
 * owner's link is for its own team (browser-auth.test.ts checks them past 401 and the worker token).
 */
const OWN_SESSION = new Set([
  'GET /v1/auth/session',
  'POST /v1/auth/logout',
  'POST /v1/auth/login-links',
]);
/** Routes that take the operator's admin token, not a team key (grants.test.ts checks them). */
const ADMIN = '/v1/admin/';
/** Team-scoped by name: team A's PUT of a name makes its own upload (grants.test.ts checks them). */
const OWN_BY_NAME = new Set(['PUT /v1/uploads/{name}', 'POST /v1/uploads']);

/** Creates whose body names no other object: isolation has nothing to check beyond scoping. */
const CREATES_WITHOUT_REFERENCES = new Set([
  'POST /v1/keys',
  'POST /v1/invites',
  'POST /v1/pools',
  'POST /v1/metadata-sets',
  'POST /v1/eval-sets',
]);

async function seedTeam(api: TestApi, name: string) {
  const owner = await bootstrapTeam(api, name);
  const cat = await createCatalog(api, owner.key);
  const run = await api.json('POST', '/v1/runs', 201, {
    key: owner.key,
    json: { experimentId: cat.experimentId },
  });
  const schedule = await api.json('POST', '/v1/schedules', 201, {
    key: owner.key,
    json: { experimentId: cat.experimentId, everyMinutes: 60 },
  });
  const viewer = await api.json('POST', '/v1/keys', 201, {
    key: owner.key,
    json: { name: 'viewer', role: 'viewer' },
  });
  const revoked = await api.json('POST', '/v1/keys', 201, {
    key: owner.key,
    json: { name: 'old' },
  });
  await api.json('DELETE', `/v1/keys/${revoked.id}`, 200, { key: owner.key });
  const attempt = await beginAttempt(api.ctx, run.id);
  const members = await api.json<{ items: { userId: string }[] }>(
    'GET',
    '/v1/teams/current/members',
    200,
    { key: owner.key },
  );
  const member = members.items[0]!.userId;
  return { ...owner, cat, run, schedule, viewer, revoked, member, workerToken: attempt!.token };
}

function operations(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of Object.keys(item)) out.push({ method: method.toUpperCase(), path });
  return out;
}

/** The URL of `op` with its path parameters set to `team`'s objects. */
function urlFor(op: Operation, team: Awaited<ReturnType<typeof seedTeam>>): string {
  const idFor: Record<string, string> = {
    pools: team.cat.poolId,
    'metadata-sets': team.cat.metadataSetId,
    'eval-sets': team.cat.evalSetId,
    experiments: team.cat.experimentId,
    runs: team.run.id,
    schedules: team.schedule.id,
    keys: team.viewer.id,
    teams: team.member,
  };
  const resource = op.path.split('/')[2]!;
  // A required query, so that the answer is about access, not validation.
  const query = op.path.endsWith('/curation/samples/image') ? '?shard=pool%2F0.tar&key=0001' : '';
  const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'id') {
      const id = idFor[resource];
      if (!id)
        throw new Error(`access.test.ts does not know which object {id} of ${op.path} is: add it`);
      return id;
    }
    if (name === 'runId') return team.run.id;
    if (name === 'version') return '1';
    if (name === 'key') return 'checkpoints/00000001/weights.bin';
    // The run is B's, so A is refused by the run alone; no checkpoint needs to exist.
    if (name === 'checkpointId') return 'ckpt_00000000000000000000000000';
    if (name === 'name') return op.path.startsWith('/v1/uploads') ? 'probe.tar' : 'weights.bin';
    throw new Error(`access.test.ts does not know path parameter {${name}} of ${op.path}: add it`);
  });
  return path + query;
}

/** Valid bodies for writes on a team's objects (so the answer is about access, not validation). */
function bodyFor(op: Operation, b: Awaited<ReturnType<typeof seedTeam>>): unknown {
  switch (`${op.method} ${op.path}`) {
    case 'POST /v1/pools/{id}/shards':
      return { shards: ['/nonexistent.tar'] };
    case 'POST /v1/metadata-sets/{id}/versions':
      return { names: ['x'] };
    case 'PATCH /v1/schedules/{id}':
      return { enabled: false };
    case 'PATCH /v1/teams/current/members/{id}':
      return { role: 'viewer' };
    case 'POST /v1/runs':
      return { experimentId: b.cat.experimentId };
    case 'POST /v1/schedules':
      return { experimentId: b.cat.experimentId, everyMinutes: 5 };
    case 'POST /v1/experiments':
      return {
        name: 'steal',
        config: {
          poolId: b.cat.poolId,
          metadataSetId: b.cat.metadataSetId,
          evalSetIds: [b.cat.evalSetId],
          stop: { maxSteps: 1 },
        },
      };
    default:
      return op.method === 'GET' || op.method === 'DELETE' ? undefined : {};
  }
}

async function expectProblem(res: Response, status: number, label: string) {
  const text = await res.text();
  expect(res.status, `${label}: ${text}`).toBe(status);
  expect(res.headers.get('content-type'), label).toContain('application/problem+json');
}

describe('access on every route', () => {
  pgTest(
    '401 without a good key, 404 across teams, 403 for viewers and the wrong kind of key',
    async ({ db }) => {
      // Hundreds of bad keys from one address: the failed-authentication limit (sessions.test.ts)
      // would answer 429 long before the end.
      const api = await testApi(db, { limits: { authFailures: 1_000_000 } });
      const a = await seedTeam(api, 'Team A');
      const b = await seedTeam(api, 'Team B');
      const doc = await api.json('GET', '/v1/openapi.json', 200);
      const ops = operations(doc);
      expect(ops.length).toBeGreaterThan(30);
      const bIds = [
        b.cat.poolId,
        b.cat.metadataSetId,
        b.cat.evalSetId,
        b.cat.experimentId,
        b.run.id,
        b.schedule.id,
        b.viewer.id,
        b.teamId,
      ];

      for (const op of ops) {
        const label = `${op.method} ${op.path}`;
        if (PUBLIC.has(label) || op.path.startsWith(ADMIN)) continue;
        const worker = op.path.startsWith('/v1/worker/');
        const url = urlFor(op, b);
        const json = bodyFor(op, b);
        const send = (key?: string) =>
          api.call(op.method, url, { key, ...(json !== undefined && { json }) });

        await expectProblem(await send(), 401, `${label} without a key`);
        await expectProblem(
          await send('curio_not-a-real-key'),
          401,
          `${label} with an unknown key`,
        );
        await expectProblem(await send(a.revoked.secret), 401, `${label} with a revoked key`);

        if (worker) {
          await expectProblem(await send(a.key), 403, `${label} with a team key`);
          await expectProblem(
            await send(a.workerToken),
            403,
            `${label} with another run's worker token`,
          );
          continue;
        }
        await expectProblem(await send(a.workerToken), 403, `${label} with a worker token`);
        if (OWN_SESSION.has(label)) continue;
        if (op.method !== 'GET')
          await expectProblem(await send(a.viewer.secret), 403, `${label} as a viewer`);

        if (OWN_BY_NAME.has(label)) continue;
        if (op.path.includes('{')) {
          await expectProblem(
            await send(a.key),
            404,
            `${label} on team B's object with team A's key`,
          );
        } else if (op.method === 'GET') {
          const res = await send(a.key);
          const text = await res.text();
          expect(res.status, label).toBe(200);
          for (const id of bIds) expect(text, `${label} shows team B's ${id}`).not.toContain(id);
        } else if (!CREATES_WITHOUT_REFERENCES.has(label)) {
          await expectProblem(await send(a.key), 422, `${label} referring to team B's objects`);
        }
      }

      // Team B's objects are as they were.
      const [runB] = await db.select().from(runs).where(eq(runs.id, b.run.id));
      expect(runB!.status).toBe('dispatching');
      const [schedB] = await db.select().from(schedules).where(eq(schedules.id, b.schedule.id));
      expect(schedB!.enabled).toBe(true);
      const [viewerB] = await db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.id, b.viewer.id)));
      expect(viewerB!.revokedAt).toBeNull();
    },
  );
});
