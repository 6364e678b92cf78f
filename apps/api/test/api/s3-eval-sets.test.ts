// Eval sets in object storage, against a real S3-compatible server on loopback: an s3:// folder
// or a glob over its test shards is checked inside the team's object grants when added (another
// team's set, a broken one, a server without object storage: 422), and a run's worker gets a
// presigned GET for every part, with which it reads the set.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server, type TestS3Server } from '@curio/blob-store/testing';
import { pgTest } from '@curio/testing';
import { readEvalSet, withDataAccess } from '@curio/webdataset';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { beginAttempt } from '../../src/services/dispatch-loop.js';
import { ADMIN_TOKEN, bootstrapTeam, problemOf, testApi, type TestApi } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { tempDir, writeEvalSet } from '../support/data.js';

let s3: TestS3Server;
const PARTS = ['classnames.txt', 'zeroshot_classification_templates.txt', 'test/0.tar'];
beforeAll(async () => {
  s3 = await startTestS3Server(['curio-blobs', 'team-data']);
  const local = await writeEvalSet(join(await tempDir(), 'shapes'));
  const data = new S3BlobStore(s3.storeOptions('team-data'));
  for (const prefix of ['team-a/shapes', 'team-b/shapes', 'team-a/no-names'])
    for (const part of PARTS) {
      if (prefix.endsWith('no-names') && part === 'classnames.txt') continue;
      const bytes = await readFile(join(local, part));
      await data.put(`${prefix}/${part}`, new Response(bytes).body, bytes.length);
    }
});
afterAll(() => s3.close());

async function teamWithGrant(api: TestApi) {
  const team = await bootstrapTeam(api, 'Team A');
  await api.json('POST', `/v1/admin/teams/${team.teamId}/grants`, 201, {
    key: ADMIN_TOKEN,
    json: { kind: 'object-prefix', location: 's3://team-data/team-a/' },
  });
  return team;
}

const add = (api: TestApi, key: string, name: string, location: string) =>
  api.call('POST', '/v1/eval-sets', { key, json: { name, location } });

describe('eval sets on s3://', () => {
  pgTest('are checked inside the grants when added', async ({ db }) => {
    const api = await testApi(db, {
      blobStore: new S3BlobStore(s3.storeOptions('curio-blobs', 'env1')),
    });
    const a = await teamWithGrant(api);
    const folder = await api.json('POST', '/v1/eval-sets', 201, {
      key: a.key,
      json: { name: 'shapes', location: 's3://team-data/team-a/shapes' },
    });
    expect(folder.location).toBe('s3://team-data/team-a/shapes');
    const glob = await add(api, a.key, 'shapes-glob', 's3://team-data/team-a/shapes/test/*.tar');
    expect(glob.status).toBe(201);

    for (const [location, says] of [
      ['s3://team-data/team-b/shapes', 'does not exist or is not granted'],
      [
        's3://team-data/team-a/no-names',
        'no-names/classnames.txt does not exist or is not granted',
      ],
      ['s3://team-data/team-a/missing', 'does not exist or is not granted'],
      ['s3://team-data/*/shapes/test/0.tar', 'a glob must choose shards in the set'],
      ['ftp://team-data/team-a/shapes', 'only local folders and s3://bucket/prefix'],
    ]) {
      const res = await add(api, a.key, 'refused', location!);
      expect(res.status, location).toBe(422);
      const problem = await problemOf(res);
      expect(problem.detail, location).toContain(says);
      expect(problem.detail, location).not.toContain('X-Amz-Signature');
    }
    await api.cleanup();

    const noStore = await testApi(db);
    const res = await add(noStore, (await bootstrapTeam(noStore, 'C')).key, 'x', folder.location);
    expect(res.status).toBe(422);
    expect((await problemOf(res)).detail).toMatch(/no object storage/);
    await noStore.cleanup();
  });

  pgTest("are read by the run's worker through the URLs signed for it", async ({ db }) => {
    const api = await testApi(db, {
      blobStore: new S3BlobStore(s3.storeOptions('curio-blobs', 'env1')),
    });
    const a = await teamWithGrant(api);
    const location = 's3://team-data/team-a/shapes/test/?.tar';
    const evalSet = await api.json('POST', '/v1/eval-sets', 201, {
      key: a.key,
      json: { name: 'shapes', location },
    });
    const cat = await createCatalog(api, a.key, { evalSetIds: [evalSet.id] });
    const run = await api.json('POST', '/v1/runs', 201, {
      key: a.key,
      json: { experimentId: cat.experimentId },
    });
    const attempt = (await beginAttempt(api.ctx, run.id))!;
    const assignment = await api.json('GET', `/v1/worker/runs/${run.id}/assignment`, 200, {
      key: attempt.token,
    });
    expect(assignment.spec.evalSets).toEqual([{ name: 'shapes', path: location }]);
    expect(Object.keys(assignment.dataAccess.objectUrls).sort()).toEqual(
      PARTS.map((p) => `s3://team-data/team-a/shapes/${p}`).sort(),
    );
    const set = await withDataAccess(assignment.dataAccess, () => readEvalSet(location));
    expect(set.classnames).toEqual(['red circle', 'blue square']);
    expect(set.shards).toEqual(['s3://team-data/team-a/shapes/test/0.tar']);
    await api.cleanup();
  });
});
