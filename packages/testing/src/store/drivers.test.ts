// Values come back the same on both drivers: timestamps as Date, bigint and double as number,
// jsonb as objects; immutable rows refuse UPDATE; shards append to a pool.
import { asc, eq, pgError } from '@curio/db';
import {
  metadataSetVersions,
  metadataSets,
  poolShards,
  pools,
  runEvents,
  runs,
} from '@curio/db/schema';
import { describe, expect } from 'vitest';
import { parseRunSpec } from '@curio/contracts';
import { pgTest, seedExperiment, seedTeam, testBackend, tinyRunSpecInput } from '../index';

describe(`store values on ${testBackend()}`, () => {
  pgTest('round-trip with the same JS types', async ({ db }) => {
    const team = await seedTeam(db);
    const [pool] = await db.insert(pools).values({ teamId: team.id, name: 'web' }).returning();
    const big = 2 ** 40;
    await db
      .insert(poolShards)
      .values({ teamId: team.id, poolId: pool!.id, uri: 'a.tar', sampleCount: big });
    await db
      .insert(poolShards)
      .values({ teamId: team.id, poolId: pool!.id, uri: 'b.tar', sampleCount: 7 });
    const shards = await db
      .select()
      .from(poolShards)
      .where(eq(poolShards.poolId, pool!.id))
      .orderBy(asc(poolShards.uri));
    expect(shards.map((s) => s.sampleCount)).toEqual([big, 7]);
    expect(shards[0]!.addedAt).toBeInstanceOf(Date);

    const experiment = await seedExperiment(db, team.id);
    expect(experiment.config.stop.maxSteps).toBe(10);
    const [run] = await db
      .insert(runs)
      .values({
        teamId: team.id,
        experimentId: experiment.id,
        budgetMaxCost: 1.25,
        spec: parseRunSpec(tinyRunSpecInput()),
      })
      .returning();
    expect(run).toMatchObject({ status: 'queued', budgetMaxCost: 1.25, deviceSeconds: 0 });
    expect(run!.spec?.metadata.names).toEqual(['red circle', 'blue square']);
    expect(run!.createdAt).toBeInstanceOf(Date);
  });

  pgTest('metadata versions and run events are immutable', async ({ db }) => {
    const team = await seedTeam(db);
    const [set] = await db
      .insert(metadataSets)
      .values({ teamId: team.id, name: 'shapes' })
      .returning();
    const [v1] = await db
      .insert(metadataSetVersions)
      .values({
        teamId: team.id,
        metadataSetId: set!.id,
        version: 1,
        names: ['circle'],
        synonyms: { circle: ['disc'] },
      })
      .returning();
    expect(v1).toMatchObject({
      names: ['circle'],
      synonyms: { circle: ['disc'] },
      templates: null,
    });
    const update = db
      .update(metadataSetVersions)
      .set({ names: ['square'] })
      .where(eq(metadataSetVersions.id, v1!.id));
    await expect(update).rejects.toSatisfy((e) => /immutable/.test(pgError(e)?.message ?? ''));

    const experiment = await seedExperiment(db, team.id);
    const [run] = await db
      .insert(runs)
      .values({ teamId: team.id, experimentId: experiment.id })
      .returning();
    const [event] = await db
      .insert(runEvents)
      .values({ teamId: team.id, runId: run!.id, seq: 1, type: 'log', message: 'hi' })
      .returning();
    await expect(
      db.update(runEvents).set({ message: 'edited' }).where(eq(runEvents.id, event!.id)),
    ).rejects.toSatisfy((e) => pgError(e)?.code === '23001');
  });
});
