// A curation sample's image: a thumbnail read from the run's own pool shard for the run's team; a
// sample without an image, an undecodable image, a shard outside the pool or gone, and another
// team's run each get a clear problem.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { eq } from '@curio/db';
import { runs } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { writeTarShard } from '@curio/webdataset';
import { tinyPng } from '@curio/webdataset/testing';
import sharp from 'sharp';
import { describe, expect } from 'vitest';
import { bootstrapTeam, problemOf, testApi } from '../support/api.js';
import { writePoolShard } from '../support/data.js';
import { runWithAttempt } from '../support/worker.js';

describe('curation sample images', () => {
  pgTest('a thumbnail of a pool sample, and a problem for each way it can fail', async ({ db }) => {
    const api = await testApi(db);
    const { key, run, cat } = await runWithAttempt(api);
    const [row] = await db.select({ spec: runs.spec }).from(runs).where(eq(runs.id, run.id));
    const shard = row!.spec!.pool.sources[0]!.shards[0]!;
    // The pool's shard, rewritten with a real image, an undecodable one and none.
    await writeTarShard(shard, [
      { name: 'wide.png', data: await tinyPng(320, 200) },
      { name: 'wide.txt', data: 'a red circle' },
      { name: 'broken.jpg', data: new Uint8Array([0xff, 0xd8, 0xff, 0x00]) },
      { name: 'broken.txt', data: 'a blue square' },
      { name: 'bare.txt', data: 'no image here' },
    ]);
    const image = (shardUri: string, sampleKey: string, as = key) =>
      api.call(
        'GET',
        `/v1/runs/${run.id}/curation/samples/image?shard=${encodeURIComponent(shardUri)}&key=${encodeURIComponent(sampleKey)}`,
        { key: as },
      );

    const ok = await image(shard, 'wide');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/webp');
    const meta = await sharp(Buffer.from(await ok.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 160, 100]);

    const broken = await image(shard, 'broken');
    expect(broken.status).toBe(422);
    const problem = await problemOf(broken);
    expect(problem.type).toMatch(/image-undecodable$/);
    expect(problem.detail).toContain('sample broken of shard');

    const bare = await image(shard, 'bare');
    expect(bare.status).toBe(404);
    expect((await problemOf(bare)).detail).toMatch(/sample bare of shard .* has no image/);
    const missing = await image(shard, 'nowhere');
    expect(missing.status).toBe(404);
    expect((await problemOf(missing)).detail).toContain('sample nowhere of shard');

    // A shard the team may read but the run's pool does not hold: refused before it is opened.
    const other = await writePoolShard(join(cat.dataDir, 'elsewhere', '0.tar'), 2);
    const outside = await image(other, '000000');
    expect(outside.status).toBe(404);
    expect((await problemOf(outside)).detail).toContain('is not in run');

    const stranger = await bootstrapTeam(api, 'Strangers');
    expect((await image(shard, 'wide', stranger.key)).status).toBe(404);
    const noKey = await api.call('GET', `/v1/runs/${run.id}/curation/samples/image?shard=x`, {
      key,
    });
    expect(noKey.status).toBe(400);
    expect((await problemOf(noKey)).errors.map((e) => e.path)).toEqual(['key']);

    await rm(shard);
    const gone = await image(shard, 'wide');
    expect(gone.status).toBe(404);
    expect((await problemOf(gone)).detail).toMatch(/does not exist or is not granted/);
  });
});
