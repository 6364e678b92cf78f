// Pools (counted shards, appends), versioned metadata sets, checked eval sets, experiments whose
// config is validated by the shared schema and whose references must be the team's.
import { join } from 'node:path';
import { count, eq } from '@curio/db';
import { experiments, poolShards, pools } from '@curio/db/schema';
import { pgTest } from '@curio/testing';
import { writeTarShard } from '@curio/webdataset';
import { describe, expect } from 'vitest';
import { bootstrapTeam, grantDirectory, testApi, problemOf } from '../support/api.js';
import { createCatalog } from '../support/catalog.js';
import { tempDir, writeEvalSet, writePoolShard } from '../support/data.js';

describe('catalog', () => {
  pgTest(
    'pools: shards counted on create and append; unreadable shard is 422, nothing stored',
    async ({ db }) => {
      const api = await testApi(db);
      const { key } = await bootstrapTeam(api, 'Pools');
      const dir = await tempDir();
      await grantDirectory(api, key, dir);
      await writePoolShard(join(dir, 'a', '000000.tar'), 3);
      await writePoolShard(join(dir, 'a', '000001.tar'), 4);
      const created = await api.json('POST', '/v1/pools', 201, {
        key,
        json: { name: 'web', shards: [join(dir, 'a')] },
      });
      expect(created).toMatchObject({ name: 'web', shardCount: 2, sampleCount: 7 });
      expect(created.added.map((s: { sampleCount: number }) => s.sampleCount)).toEqual([3, 4]);

      const later = await writePoolShard(join(dir, 'b', '000002.tar'), 5);
      const appended = await api.json('POST', `/v1/pools/${created.id}/shards`, 201, {
        key,
        json: { shards: [later] },
      });
      expect(appended).toMatchObject({ shardCount: 3, sampleCount: 12 });
      expect(appended.added).toHaveLength(1);
      expect(appended.added[0].addedAt).toEqual(expect.any(String));

      const again = await api.call('POST', `/v1/pools/${created.id}/shards`, {
        key,
        json: { shards: [later] },
      });
      expect(again.status).toBe(409);
      expect((await problemOf(again)).detail).toContain(later);

      const before = await db.select({ n: count() }).from(poolShards);
      const missing = join(dir, 'nope.tar');
      const bad = await api.call('POST', `/v1/pools/${created.id}/shards`, {
        key,
        json: { shards: [join(dir, 'b', '000002.tar').replace('000002', '000009'), missing] },
      });
      expect(bad.status).toBe(422);
      const problem = await problemOf(bad);
      expect(problem.detail).toContain('nope.tar');
      expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['shards.0', 'shards.1']);
      const newPool = await api.call('POST', '/v1/pools', {
        key,
        json: { name: 'broken', shards: [later, missing] },
      });
      expect(newPool.status).toBe(422);
      expect(await db.select({ n: count() }).from(poolShards)).toEqual(before);
      expect(await db.select({ n: count() }).from(pools)).toEqual([{ n: 1 }]);

      const page1 = await api.json('GET', `/v1/pools/${created.id}/shards?limit=2`, 200, { key });
      expect(page1.items).toHaveLength(2);
      const page2 = await api.json(
        'GET',
        `/v1/pools/${created.id}/shards?limit=2&cursor=${page1.nextCursor}`,
        200,
        { key },
      );
      expect(page2).toMatchObject({ items: [{ sampleCount: 5 }], nextCursor: null });

      const dup = await api.call('POST', '/v1/pools', {
        key,
        json: { name: 'web', shards: [later] },
      });
      expect(dup.status).toBe(409);
    },
  );

  pgTest('metadata sets are versioned; old versions stay as they were', async ({ db }) => {
    const api = await testApi(db);
    const { key } = await bootstrapTeam(api, 'Meta');
    const set = await api.json('POST', '/v1/metadata-sets', 201, {
      key,
      json: { name: 'shapes', names: ['red circle'], synonyms: { 'red circle': ['crimson disc'] } },
    });
    expect(set).toMatchObject({
      latestVersion: 1,
      latest: { version: 1, names: ['red circle'], templates: null },
    });
    const v2 = await api.json('POST', `/v1/metadata-sets/${set.id}/versions`, 201, {
      key,
      json: { names: ['red circle', 'blue square'], templates: ['a photo of a {}.'] },
    });
    expect(v2.version).toBe(2);
    const v1 = await api.json('GET', `/v1/metadata-sets/${set.id}/versions/1`, 200, { key });
    expect(v1).toMatchObject({
      names: ['red circle'],
      synonyms: { 'red circle': ['crimson disc'] },
    });
    const shown = await api.json('GET', `/v1/metadata-sets/${set.id}`, 200, { key });
    expect(shown).toMatchObject({ latestVersion: 2, nameCount: 2 });
    const versions = await api.json('GET', `/v1/metadata-sets/${set.id}/versions`, 200, { key });
    expect(versions.items.map((v: { version: number }) => v.version)).toEqual([1, 2]);

    const badSynonym = await api.call('POST', `/v1/metadata-sets/${set.id}/versions`, {
      key,
      json: { names: ['a'], synonyms: { b: ['c'] }, templates: ['no placeholder'] },
    });
    expect(badSynonym.status).toBe(400);
    const paths = (await problemOf(badSynonym)).errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['synonyms.b', 'templates.0']);
  });

  pgTest(
    'eval sets are checked (a missing file is a 422 naming it) and their samples counted',
    async ({ db }) => {
      const api = await testApi(db);
      const { key } = await bootstrapTeam(api, 'Evals');
      const dir = await tempDir();
      await grantDirectory(api, key, dir);
      const good = await writeEvalSet(join(dir, 'good')); // one red circle in test/0.tar
      const png = new Uint8Array([1, 2, 3]);
      await writeTarShard(join(good, 'test', '1.tar'), [
        ...['a', 'b', 'c'].flatMap((k, i) => [
          { name: `${k}.png`, data: png },
          { name: `${k}.cls`, data: String(i === 0 ? 0 : 1) },
        ]),
        { name: 'd.png', data: png },
        { name: 'd.cls', data: '7' }, // no such class: not counted
      ]);
      const set = await api.json('POST', '/v1/eval-sets', 201, {
        key,
        json: { name: 'shapes', location: good },
      });
      expect(set.location).toBe(good);
      const counted = {
        classes: [
          { name: 'red circle', sampleCount: 2 },
          { name: 'blue square', sampleCount: 2 },
        ],
        sampleCount: 4,
      };
      expect(set).toMatchObject(counted);
      const listed = await api.json('GET', '/v1/eval-sets', 200, { key });
      expect(listed.items[0]).toMatchObject({ id: set.id, ...counted });
      const empty = join(dir, 'empty');
      await writeEvalSet(empty);
      const { rm } = await import('node:fs/promises');
      await rm(join(empty, 'classnames.txt'));
      const res = await api.call('POST', '/v1/eval-sets', {
        key,
        json: { name: 'broken', location: empty },
      });
      expect(res.status).toBe(422);
      const problem = await problemOf(res);
      expect(problem.detail).toContain('classnames.txt');
      expect(problem.errors[0]?.path).toBe('location');
    },
  );

  pgTest(
    "experiments: the config is validated and its references must be the team's",
    async ({ db }) => {
      const api = await testApi(db);
      const { key } = await bootstrapTeam(api, 'Exps');
      const catalog = await createCatalog(api, key);
      const shown = await api.json('GET', `/v1/experiments/${catalog.experimentId}`, 200, { key });
      expect(shown.config).toMatchObject({
        poolId: catalog.poolId,
        evalSetIds: [catalog.evalSetId],
      });
      expect(shown.config.training.batchSize).toBe(128); // defaults filled by the shared schema

      const count0 = await db.select({ n: count() }).from(experiments);
      const invalid = await api.call('POST', '/v1/experiments', {
        key,
        json: {
          name: 'bad',
          config: {
            poolId: catalog.poolId,
            metadataSetId: catalog.metadataSetId,
            stop: {},
            curation: { threshold: 3 },
          },
        },
      });
      expect(invalid.status).toBe(400);
      const problem = await problemOf(invalid);
      const paths = problem.errors.map((e: { path: string }) => e.path);
      expect(paths).toContain('config.curation.threshold');
      expect(paths).toContain('config.stop.maxSteps');

      const unknown = await api.call('POST', '/v1/experiments', {
        key,
        json: {
          name: 'ghost',
          config: {
            poolId: 'pool_nope',
            metadataSetId: catalog.metadataSetId,
            metadataVersion: 9,
            evalSetIds: ['evset_x'],
            stop: { maxSteps: 5 },
          },
        },
      });
      expect(unknown.status).toBe(422);
      const refs = await problemOf(unknown);
      expect(refs.errors.map((e: { path: string }) => e.path)).toEqual([
        'config.poolId',
        'config.metadataVersion',
        'config.evalSetIds.0',
      ]);
      expect(refs.detail).toContain('pool pool_nope not found');
      expect(await db.select({ n: count() }).from(experiments)).toEqual(count0);

      const [row] = await db
        .select()
        .from(experiments)
        .where(eq(experiments.id, catalog.experimentId));
      expect(row!.config.poolId).toBe(catalog.poolId);
    },
  );
});
