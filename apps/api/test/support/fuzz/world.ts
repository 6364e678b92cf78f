// The world the fuzzer aims at: one team with a catalog, a run with a live worker attempt (started,
// with a metric, an event, a checkpoint and a blob whose key is also a folder), a schedule, a
// metadata version, a second key and a data grant (made with the admin token). Valid request
// bodies for every write are built from it.
import { join } from 'node:path';
import { beginAttempt } from '../../../src/services/dispatch-loop.js';
import { ADMIN_TOKEN, bootstrapTeam, type TestApi } from '../api.js';
import { createCatalog } from '../catalog.js';
import { writeEvalSet, writePoolShard } from '../data.js';

export type World = Awaited<ReturnType<typeof buildWorld>>;

export async function buildWorld(api: TestApi) {
  const owner = await bootstrapTeam(api, 'Fuzzed');
  const cat = await createCatalog(api, owner.key);
  const key = owner.key;
  const run = await api.json('POST', '/v1/runs', 201, {
    key,
    json: { experimentId: cat.experimentId },
  });
  const schedule = await api.json('POST', '/v1/schedules', 201, {
    key,
    json: { experimentId: cat.experimentId, everyMinutes: 60 },
  });
  const member = await api.json('POST', '/v1/keys', 201, { key, json: { name: 'member' } });
  const people = await api.json<{ items: { userId: string }[] }>(
    'GET',
    '/v1/teams/current/members',
    200,
    { key },
  );
  await api.json('POST', `/v1/metadata-sets/${cat.metadataSetId}/versions`, 201, {
    key,
    json: { names: ['red circle', 'green triangle'] },
  });
  const token = (await beginAttempt(api.ctx, run.id))!.token;
  const w = (path: string) => `/v1/worker/runs/${run.id}${path}`;
  const as = { key: token };
  await api.json('POST', w('/started'), 204, {
    ...as,
    json: { attempt: 1, backend: 'wasm', device: 'cpu' },
  });
  await api.json('POST', w('/metrics'), 204, {
    ...as,
    json: { points: [{ step: 1, name: 'loss', value: 2.5 }] },
  });
  await api.json('POST', w('/events'), 204, {
    ...as,
    json: { events: [{ type: 'log', message: 'hello' }] },
  });
  for (const blob of ['checkpoints/00000001/weights.bin', 'taken/file'])
    await api.json('PUT', w(`/blobs/${blob}`), 204, { ...as, body: new Uint8Array([1, 2, 3]) });
  const checkpoint = await api.json('POST', w('/checkpoints'), 200, {
    ...as,
    json: { step: 1, key: 'checkpoints/00000001', sizeBytes: 3, architecture: { preset: 'tiny' } },
  });
  const shard = await writePoolShard(join(cat.dataDir, 'more', '000001.tar'), 3);
  const evalDir = await writeEvalSet(join(cat.dataDir, 'eval2'));
  const grants = await api.json('GET', `/v1/admin/teams/${owner.teamId}/grants`, 200, {
    key: ADMIN_TOKEN,
  });
  const grantId = (grants.items as { id: string }[])[0]!.id;
  return {
    key,
    token,
    adminToken: ADMIN_TOKEN,
    teamId: owner.teamId,
    cat,
    run,
    schedule,
    member,
    shard,
    evalDir,
    checkpointId: checkpoint.id as string,
    grantId,
    ownerUserId: people.items[0]!.userId,
  };
}

/** The value of a path parameter that names a real object of the world. */
export function validParam(world: World, path: string, name: string): string {
  if (name === 'runId') return world.run.id;
  if (name === 'version') return '1';
  if (name === 'key') return 'checkpoints/00000001/weights.bin';
  if (name === 'teamId') return world.teamId;
  if (name === 'token') return 'fuzz-token-of-no-invite-or-link';
  if (name === 'checkpointId') return world.checkpointId;
  if (name === 'name') return path.startsWith('/v1/uploads/') ? 'fuzz.tar' : 'weights.bin';
  const ids: Record<string, string> = {
    keys: world.member.id,
    pools: world.cat.poolId,
    'metadata-sets': world.cat.metadataSetId,
    'eval-sets': world.cat.evalSetId,
    experiments: world.cat.experimentId,
    runs: world.run.id,
    schedules: world.schedule.id,
    admin: world.grantId,
    teams: world.ownerUserId,
  };
  const id = ids[path.split('/')[2]!];
  if (!id) throw new Error(`the fuzzer knows no object for {${name}} of ${path}: add it`);
  return id;
}

/** A valid body for each write (the fuzzer breaks it). */
export function validBody(world: World, operation: string): unknown {
  const { cat } = world;
  const bodies: Record<string, unknown> = {
    'POST /v1/bootstrap': { teamName: 'Other', email: 'other@example.com', teamSlug: 'other' },
    'POST /v1/keys': { name: 'fuzz', role: 'member' },
    'POST /v1/auth/signup': { email: 'fuzz@example.com', password: 'fuzz pass 1', teamName: 'F' },
    'POST /v1/auth/login': { email: 'fuzz@example.com', password: 'fuzz pass 1' },
    'POST /v1/auth/logout': {},
    'POST /v1/auth/login-links': {},
    'POST /v1/auth/login-links/{token}/redeem': {},
    'POST /v1/invites': { role: 'member' },
    'POST /v1/invites/{token}/accept': { email: 'fuzz@example.com', password: 'fuzz pass 1' },
    'POST /v1/pools': { name: 'fuzz', description: 'd', shards: [world.shard] },
    'POST /v1/pools/{id}/shards': { shards: [world.shard] },
    'POST /v1/uploads': { name: 'fuzz-start.tar', bytes: 1024 },
    'POST /v1/metadata-sets': {
      name: 'fuzz',
      names: ['a', 'b'],
      synonyms: { a: ['x'] },
      templates: ['a photo of {}'],
    },
    'POST /v1/metadata-sets/{id}/versions': { names: ['a'], templates: ['{}'] },
    'POST /v1/eval-sets': { name: 'fuzz', location: world.evalDir },
    'POST /v1/experiments': {
      name: 'fuzz',
      config: {
        poolId: cat.poolId,
        metadataSetId: cat.metadataSetId,
        metadataVersion: 1,
        evalSetIds: [cat.evalSetId],
        stop: { maxSteps: 10, maxMinutes: 5 },
        training: { batchSize: 8, subBatch: 4, lr: 0.001 },
        eval: { everySteps: 5 },
        checkpoint: { everySteps: 5 },
        curation: { interval: 5, threshold: 0.5 },
      },
    },
    'POST /v1/runs': {
      experimentId: cat.experimentId,
      budget: { maxMinutes: 5, maxCost: 1 },
      maxAttempts: 2,
      device: 'cpu',
    },
    'POST /v1/runs/{id}/cancel': {},
    'POST /v1/admin/teams/{teamId}/grants': { kind: 'directory', location: cat.dataDir },
    'POST /v1/schedules': {
      experimentId: cat.experimentId,
      kind: 'growth',
      cron: '0 9 * * MON-FRI',
      timezone: 'Europe/Paris',
      run: { device: 'cpu', maxAttempts: 1 },
    },
    'PATCH /v1/schedules/{id}': { enabled: false },
    'PATCH /v1/teams/current/members/{id}': { role: 'owner' },
    'POST /v1/worker/runs/{runId}/started': { attempt: 1, backend: 'wasm', device: 'cpu' },
    'POST /v1/worker/runs/{runId}/heartbeat': { attempt: 1, step: 2, deviceSeconds: 3 },
    'POST /v1/worker/runs/{runId}/finished': {
      status: 'succeeded',
      stopReason: 'max_steps',
      steps: 10,
      deviceSeconds: 5,
    },
    'POST /v1/worker/runs/{runId}/metrics': { points: [{ step: 2, name: 'loss', value: 1.5 }] },
    'POST /v1/worker/runs/{runId}/events': {
      events: [{ type: 'log', message: 'hi', data: { nested: { a: [1, 2] } } }],
    },
    'POST /v1/worker/runs/{runId}/checkpoints': {
      step: 2,
      key: 'checkpoints/00000001',
      sizeBytes: 3,
      architecture: { preset: 'tiny' },
    },
    'POST /v1/worker/runs/{runId}/evaluations': {
      step: 2,
      evalSet: 'eval',
      metrics: { zeroShot: { top1: 0.5, top5: 0.9, n: 10 } },
      elapsedSeconds: 1,
    },
  };
  if (!(operation in bodies)) throw new Error(`the fuzzer has no body for ${operation}: add one`);
  return bodies[operation];
}
