// Pools on s3:// shards, against a real S3-compatible server on loopback: prefixes and globs
// listed inside the team's object-prefix grants and its own uploads, nothing of another team's
// (nor of the blob store's own prefix) readable, and the worker's assignment carrying a presigned
// GET per shard.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server, type TestS3Server } from '@curio/blob-store/testing';
import { pgTest } from '@curio/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { ADMIN_TOKEN, bootstrapTeam, problemOf, testApi, type TestApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { tempDir, writePoolShard } from '../support/data.js';

let s3: TestS3Server;
let shard: Uint8Array;
beforeAll(async () => {
  s3 = await startTestS3Server(['curio-blobs', 'team-data']);
  shard = await readFile(await writePoolShard(join(await tempDir(), 's.tar'), 4));
  const data = new S3BlobStore(s3.storeOptions('team-data'));
  for (const key of ['team-a/000.tar', 'team-a/001.tar', 'team-a/notes.txt', 'team-b/000.tar'])
    await data.put(key, new Response(shard).body, shard.length);
});
afterAll(() => s3.close());

async function grantObjects(api: TestApi, teamId: string, location: string) {
  await api.json('POST', `/v1/admin/teams/${teamId}/grants`, 201, {
    key: ADMIN_TOKEN,
    json: { kind: 'object-prefix', location },
  });
}

const pool = (api: TestApi, key: string, name: string, shards: string[]) =>
  api.call('POST', '/v1/pools', { key, json: { name, shards } });

describe('pools on s3:// shards', () => {
  pgTest('list and count only what the team may read', async ({ db }) => {
    const api = await testApi(db, {
      blobStore: new S3BlobStore(s3.storeOptions('curio-blobs', 'env1')),
    });
    const a = await bootstrapTeam(api, 'Team A');
    const b = await bootstrapTeam(api, 'Team B');
    await grantObjects(api, a.teamId, 's3://team-data/team-a/');
    // B is granted the whole blob bucket by mistake: the store's own prefix stays shut.
    await grantObjects(api, b.teamId, 's3://curio-blobs/');

    const byPrefix = await api.json('POST', '/v1/pools', 201, {
      key: a.key,
      json: { name: 'prefix', shards: ['s3://team-data/team-a/'] },
    });
    expect(byPrefix.added).toMatchObject([
      { uri: 's3://team-data/team-a/000.tar', sampleCount: 4 },
      { uri: 's3://team-data/team-a/001.tar', sampleCount: 4 },
    ]);
    const byGlob = await api.json('POST', '/v1/pools', 201, {
      key: a.key,
      json: { name: 'glob', shards: ['s3://team-data/*/00?.tar'] },
    });
    expect(byGlob.added.map((s: { uri: string }) => s.uri)).toEqual([
      's3://team-data/team-a/000.tar',
      's3://team-data/team-a/001.tar',
    ]);
    for (const refused of ['s3://team-data/team-b/000.tar', 's3://team-data/team-b/']) {
      const res = await pool(api, a.key, 'stolen', [refused]);
      expect(res.status, refused).toBe(422);
      expect((await problemOf(res)).detail).toContain(refused);
    }

    // A's own upload: readable by A, not by B (not even through B's grant on the bucket).
    const target = await api.json('POST', '/v1/uploads', 201, {
      key: a.key,
      json: { name: 'mine.tar', bytes: shard.length },
    });
    await fetch(target.url, { method: 'PUT', headers: target.headers, body: shard });
    const own = await api.json('POST', '/v1/pools', 201, {
      key: a.key,
      json: { name: 'own', shards: [target.location] },
    });
    expect(own.added).toMatchObject([{ uri: target.location, sampleCount: 4 }]);
    expect((await pool(api, b.key, 'theirs', [target.location])).status).toBe(422);
    expect((await pool(api, b.key, 'theirs', ['s3://curio-blobs/env1/'])).status).toBe(422);
    await api.cleanup();
  });

  pgTest("hand the worker a presigned GET for each of its run's shards", async ({ db }) => {
    const api = await testApi(db, {
      blobStore: new S3BlobStore(s3.storeOptions('curio-blobs', 'env1')),
    });
    const a = await bootstrapTeam(api, 'Team A');
    await grantObjects(api, a.teamId, 's3://team-data/team-a/');
    const s3Pool = await api.json('POST', '/v1/pools', 201, {
      key: a.key,
      json: { name: 'objects', shards: ['s3://team-data/team-a/000.tar'] },
    });
    const cat = await createCatalog(api, a.key, { poolId: s3Pool.id });
    const run = await api.json('POST', '/v1/runs', 201, {
      key: a.key,
      json: { experimentId: cat.experimentId },
    });
    const attempt = (await beginAttempt(api.ctx, run.id))!;
    const assignment = await api.json('GET', `/v1/worker/runs/${run.id}/assignment`, 200, {
      key: attempt.token,
    });
    const urls = assignment.dataAccess.objectUrls as Record<string, string>;
    expect(Object.keys(urls)).toEqual(['s3://team-data/team-a/000.tar']);
    const got = await fetch(urls['s3://team-data/team-a/000.tar']!);
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(shard))).toBe(true);
    await api.cleanup();
  });
});
