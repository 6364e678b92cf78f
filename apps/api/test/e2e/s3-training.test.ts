// End to end on object storage: a pool of s3:// shards in a real S3-compatible server on loopback
// trains with the real trainer, which reads the shards through the presigned URLs of its
// assignment and puts its checkpoints into the bucket through presigned PUTs, never through the
// API; the checkpoint then downloads from the bucket.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server, type TestS3Server } from '@curio/blob-store/testing';
import { pgTest } from '@curio/testing';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { ADMIN_TOKEN } from '../support/api.js';
import { tempDir } from '../support/data.js';
import { E2E_TEST_TIMEOUT, startE2E, withWorkerLogs, type E2E } from '../support/e2e.js';
import { writeSyntheticData } from '../support/synthetic.js';

let dataDir: string;
let s3: TestS3Server;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dataDir = await writeSyntheticData(await tempDir('curio-e2e-synth-'));
  s3 = await startTestS3Server(['curio-blobs', 'team-data']);
  const data = new S3BlobStore(s3.storeOptions('team-data'));
  for (const name of await readdir(join(dataDir, 'pool'))) {
    const bytes = await readFile(join(dataDir, 'pool', name));
    await data.put(`synthetic/${name}`, new Response(bytes).body, bytes.length);
  }
});
afterAll(async () => {
  for (const c of cleanups) await c();
  await s3.close();
});

describe('end to end on object storage', () => {
  pgTest(
    'a run on s3:// shards trains and keeps its checkpoints in the bucket',
    async ({ db }) => {
      let e2e: E2E | undefined;
      await withWorkerLogs(
        () => e2e,
        async () => {
          const blobs = new S3BlobStore(s3.storeOptions('curio-blobs', 'e2e'));
          e2e = await startE2E(db, dataDir, { blobStore: blobs });
          cleanups.push(
            () => e2e!.api.close(),
            () => e2e!.dispatcher.close(),
          );
          const { api, key } = e2e;
          const team = await api.json('GET', '/v1/teams/current', 200, { key });
          await api.json('POST', `/v1/admin/teams/${team.team.id}/grants`, 201, {
            key: ADMIN_TOKEN,
            json: { kind: 'object-prefix', location: 's3://team-data/synthetic/' },
          });
          const pool = await api.json('POST', '/v1/pools', 201, {
            key,
            json: { name: 'objects', shards: ['s3://team-data/synthetic/'] },
          });
          expect(pool.shardCount).toBeGreaterThan(0);
          // The synthetic experiment, on the s3:// pool.
          const base = await api.json('GET', `/v1/experiments/${e2e.experimentId}`, 200, { key });
          const experiment = await api.json('POST', '/v1/experiments', 201, {
            key,
            json: {
              name: 'on-objects',
              config: { ...base.config, poolId: pool.id, stop: { maxSteps: 10 } },
            },
          });
          const run = await api.json('POST', '/v1/runs', 201, {
            key,
            json: { experimentId: experiment.id },
          });
          const done = await e2e.waitForStatus(run.id, ['succeeded', 'failed', 'canceled']);
          // (any attempt: on a loaded machine a slow first start may be reaped and retried)
          expect(done, JSON.stringify(done)).toMatchObject({ status: 'succeeded' });
          expect(done.checkpoints.map((c: { step: number }) => c.step)).toEqual([10]);
          expect(done.evaluations.length).toBeGreaterThanOrEqual(1);

          // The checkpoint's files are in the bucket, and its download comes from there.
          const files = (await blobs.list(`${run.id}/`)).map((b) => b.key);
          expect(files.some((k) => k.endsWith('/weights.bin'))).toBe(true);
          const ckpt = done.checkpoints[0];
          const res = await api.call('GET', `/v1/runs/${run.id}/checkpoints/${ckpt.id}/download`, {
            key,
          });
          expect(res.status).toBe(302);
          const tar = await fetch(res.headers.get('location')!);
          expect(tar.status).toBe(200);
          expect(Buffer.from(await tar.arrayBuffer()).toString('latin1')).toContain('weights.bin');
        },
      );
    },
    E2E_TEST_TIMEOUT,
  );
});
