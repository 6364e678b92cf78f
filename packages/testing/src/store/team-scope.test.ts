// Team scoping in the store: names are unique per team, queries filter by team, a row can never
// point at another team's object (composite foreign keys), and deleting a team removes its rows.
import { and, eq, isForeignKeyViolation, isUniqueViolation } from '@curio/db';
import { experiments, poolShards, pools, runs, teams } from '@curio/db/schema';
import { describe, expect } from 'vitest';
import { pgTest, seedExperiment, seedTeam, testBackend } from '../index';

describe(`team scoping on ${testBackend()}`, () => {
  pgTest(
    'names are unique per team and team-scoped queries see only their team',
    async ({ db }) => {
      const a = await seedTeam(db, 'A');
      const b = await seedTeam(db, 'B');
      const [poolA] = await db.insert(pools).values({ teamId: a.id, name: 'web' }).returning();
      const [poolB] = await db.insert(pools).values({ teamId: b.id, name: 'web' }).returning();
      const dup = db.insert(pools).values({ teamId: a.id, name: 'web' });
      await expect(dup).rejects.toSatisfy((e) => isUniqueViolation(e, 'pools_team_name_uq'));

      const seenByA = await db.select().from(pools).where(eq(pools.teamId, a.id));
      expect(seenByA.map((p) => p.id)).toEqual([poolA!.id]);
      // Team B asking for team A's pool by id finds nothing (the API answers 404).
      const crossRead = await db
        .select()
        .from(pools)
        .where(and(eq(pools.teamId, b.id), eq(pools.id, poolA!.id)));
      expect(crossRead).toEqual([]);
      expect(poolB!.id).not.toBe(poolA!.id);
    },
  );

  pgTest('a row cannot reference another team’s object', async ({ db }) => {
    const a = await seedTeam(db, 'A');
    const b = await seedTeam(db, 'B');
    const [poolA] = await db.insert(pools).values({ teamId: a.id, name: 'web' }).returning();
    const experimentA = await seedExperiment(db, a.id);
    await expect(
      db
        .insert(poolShards)
        .values({ teamId: b.id, poolId: poolA!.id, uri: 'file:///x.tar', sampleCount: 10 }),
    ).rejects.toSatisfy((e) => isForeignKeyViolation(e, 'pool_shards_pool_fk'));
    await expect(
      db.insert(runs).values({ teamId: b.id, experimentId: experimentA.id }),
    ).rejects.toSatisfy((e) => isForeignKeyViolation(e, 'runs_experiment_fk'));
    await expect(
      db.insert(runs).values({ teamId: a.id, experimentId: 'exp_unknown' }),
    ).rejects.toSatisfy((e) => isForeignKeyViolation(e));
  });

  pgTest('deleting a team deletes what it owns and nothing else', async ({ db }) => {
    const a = await seedTeam(db, 'A');
    const b = await seedTeam(db, 'B');
    for (const team of [a, b]) {
      const experiment = await seedExperiment(db, team.id);
      await db.insert(runs).values({ teamId: team.id, experimentId: experiment.id });
    }
    await db.delete(teams).where(eq(teams.id, a.id));
    expect((await db.select().from(runs)).map((r) => r.teamId)).toEqual([b.id]);
    expect((await db.select().from(experiments)).map((e) => e.teamId)).toEqual([b.id]);
  });
});
