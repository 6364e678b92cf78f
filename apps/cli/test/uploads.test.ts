// `curio pools upload`: shard tars go into the team's own upload area and into a pool, although
// the folder they came from is granted to no one; naming that folder directly is refused.
import { join } from 'node:path';
import { S3BlobStore } from '@curio/blob-store/s3';
import { startTestS3Server } from '@curio/blob-store/testing';
import { pgTest } from '@curio/testing';
import { expect } from 'vitest';
import { apiGet, serveApi, cliEnv } from './support/api.js';
import { curio, tempDir, writeShard } from './support/cli.js';

pgTest(
  'pools upload: uploaded shards make a pool; the ungranted folder does not',
  async ({ db }) => {
    const api = await serveApi(db);
    try {
      const env = await cliEnv(api);
      const dir = await tempDir();
      const a = await writeShard(join(dir, 'a.tar'), 3);
      await writeShard(join(dir, 'b.tar'), 2);

      const direct = await curio(['pools', 'add', 'direct', a], env);
      expect(direct.code).toBe(1);
      expect(direct.stderr).toContain(`data location ${a} does not exist or is not granted`);

      // A folder stands for its *.tar files.
      const up = await curio(['pools', 'upload', dir, '--pool', 'uploaded'], env);
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      const uploads = (await apiGet(api, '/v1/uploads')).items as {
        name: string;
        location: string;
      }[];
      expect(uploads.map((u) => u.name)).toEqual(['a.tar', 'b.tar']);
      for (const u of uploads) expect(up.stdout).toContain(`uploaded ${u.name} (`);
      expect(up.stdout).toMatch(/pool uploaded \(pool_\w+\): 2 shard\(s\) with 5 samples/);
      const pools = await apiGet(api, '/v1/pools');
      expect(pools.items).toMatchObject([{ name: 'uploaded', shardCount: 2, sampleCount: 5 }]);

      const again = await curio(['pools', 'upload', a], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/409 Conflict: an upload named a\.tar exists already/);
    } finally {
      await api.close();
    }
  },
);

pgTest(
  'pools upload: on the S3 store the bytes go to the bucket by presigned PUTs',
  async ({ db }) => {
    const s3 = await startTestS3Server(['cli-blobs']);
    const api = await serveApi(db, {
      blobStore: new S3BlobStore(s3.storeOptions('cli-blobs')),
    });
    try {
      const env = await cliEnv(api);
      const dir = await tempDir();
      await writeShard(join(dir, 'a.tar'), 3);
      await writeShard(join(dir, 'b.tar'), 2);
      const up = await curio(['pools', 'upload', dir, '--pool', 'objects', '--json'], env);
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      const { uploads: printed, pool } = JSON.parse(up.stdout) as {
        uploads: { name: string; location: string; bytes: number }[];
        pool: { shardCount: number; sampleCount: number };
      };
      // The pool reads them from the bucket: the team's own uploads need no grant.
      expect(pool).toMatchObject({ shardCount: 2, sampleCount: 5 });
      const listed = (await apiGet(api, '/v1/uploads')).items;
      expect(listed.map((u: { location: string }) => u.location)).toEqual([
        `s3://cli-blobs/uploads/${api.teamId}/a.tar`,
        `s3://cli-blobs/uploads/${api.teamId}/b.tar`,
      ]);
      expect(listed).toMatchObject(
        printed.map(({ name, location, bytes }) => ({ name, location, bytes })),
      );

      const again = await curio(['pools', 'upload', join(dir, 'a.tar')], env);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/409 Conflict: an upload named a\.tar exists already/);
    } finally {
      await api.close();
      await s3.close();
    }
  },
);
