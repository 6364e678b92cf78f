// `curio pools upload`: shard tars go into the team's own upload area and into a pool, although
// the folder they came from is granted to no one; naming that folder directly is refused.
import { join } from 'node:path';
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
      const b = await writeShard(join(dir, 'b.tar'), 2);

      const direct = await curio(['pools', 'add', 'direct', a], env);
      expect(direct.code).toBe(1);
      expect(direct.stderr).toContain(`data location ${a} does not exist or is not granted`);

      const up = await curio(['pools', 'upload', a, b, '--pool', 'uploaded'], env);
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
