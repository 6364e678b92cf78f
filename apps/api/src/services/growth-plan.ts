// What a growth schedule starts: from the experiment's best checkpoint (highest zero-shot top-1 on
// its first eval set; the latest checkpoint when none was evaluated) on the shards appended to
// its pool since its last growth run (since the parent's run when it has none), plus old shards
// replayed so that about `growth.replay` of the pairs are old (default 0.3). The old shards are
// drawn in a seeded order (the spec's seed, the schedule and the due time), so the same firing
// always picks the same ones.
import type { ExperimentConfig } from '@curio/contracts';
import { and, asc, desc, eq, isNotNull, or, sql, type Db } from '@curio/db';
import { checkpoints, evaluations, poolShards, runs } from '@curio/db/schema';
import { Rng } from '@curio/random';
import type { GrowthPlan } from './resolve-spec.js';

export const DEFAULT_REPLAY = 0.3;

interface Experiment {
  id: string;
  teamId: string;
  config: ExperimentConfig;
}

interface Shard {
  uri: string;
  sampleCount: number;
}

/** The checkpoint a growth run of the experiment starts from, or undefined when it has none. */
export async function bestCheckpoint(
  db: Db,
  experiment: Experiment,
): Promise<{ id: string; runId: string } | undefined> {
  const evalSetId = experiment.config.evalSetIds[0];
  const ofExperiment = and(
    eq(runs.teamId, experiment.teamId),
    eq(runs.experimentId, experiment.id),
  );
  if (evalSetId !== undefined) {
    const top1 = sql<number>`(${evaluations.metrics}->>'zeroShot.top1')::float8`;
    const [best] = await db
      .select({ id: checkpoints.id, runId: checkpoints.runId })
      .from(evaluations)
      .innerJoin(
        checkpoints,
        or(
          eq(evaluations.checkpointId, checkpoints.id),
          and(eq(evaluations.runId, checkpoints.runId), eq(evaluations.step, checkpoints.step)),
        ),
      )
      .innerJoin(runs, eq(runs.id, checkpoints.runId))
      .where(and(ofExperiment, eq(evaluations.evalSetId, evalSetId), isNotNull(top1)))
      .orderBy(desc(top1), desc(checkpoints.createdAt))
      .limit(1);
    if (best) return best;
  }
  const [latest] = await db
    .select({ id: checkpoints.id, runId: checkpoints.runId })
    .from(checkpoints)
    .innerJoin(runs, eq(runs.id, checkpoints.runId))
    .where(ofExperiment)
    .orderBy(desc(checkpoints.createdAt), desc(checkpoints.step))
    .limit(1);
  return latest;
}

/** Shards added after this time are new: the last growth run's creation, else the parent run's. */
async function newDataSince(db: Db, experiment: Experiment, parentRunId: string): Promise<Date> {
  const [lastGrowth] = await db
    .select({ createdAt: runs.createdAt })
    .from(runs)
    .where(
      and(
        eq(runs.teamId, experiment.teamId),
        eq(runs.experimentId, experiment.id),
        sql`${runs.spec}->'growth' IS NOT NULL`,
      ),
    )
    .orderBy(desc(runs.createdAt))
    .limit(1);
  if (lastGrowth) return lastGrowth.createdAt;
  const [parentRun] = await db
    .select({ createdAt: runs.createdAt })
    .from(runs)
    .where(eq(runs.id, parentRunId));
  return parentRun!.createdAt;
}

/**
 * Old shards in a seeded order until their pairs reach `replay / (1 − replay)` of the new pairs
 * (all of them at replay 1, none at 0).
 */
export function pickReplay(old: Shard[], newSamples: number, replay: number, rng: Rng): Shard[] {
  if (replay <= 0) return [];
  const want = replay >= 1 ? Infinity : Math.round((replay / (1 - replay)) * newSamples);
  const order = rng.shuffle([...old]);
  const picked: Shard[] = [];
  let samples = 0;
  for (const shard of order) {
    if (samples >= want) break;
    picked.push(shard);
    samples += shard.sampleCount;
  }
  return picked;
}

/** The growth run to start, or why none starts (`skipped: …`). */
export async function planGrowthRun(
  db: Db,
  experiment: Experiment,
  seedLabels: string[],
): Promise<GrowthPlan | { skipped: string }> {
  const parent = await bestCheckpoint(db, experiment);
  if (!parent) return { skipped: 'skipped: no checkpoint to grow from' };
  const since = await newDataSince(db, experiment, parent.runId);
  const shards = await db
    .select({
      uri: poolShards.uri,
      sampleCount: poolShards.sampleCount,
      addedAt: poolShards.addedAt,
    })
    .from(poolShards)
    .where(
      and(
        eq(poolShards.teamId, experiment.teamId),
        eq(poolShards.poolId, experiment.config.poolId),
      ),
    )
    .orderBy(asc(poolShards.addedAt), asc(poolShards.id));
  const fresh = shards.filter((s) => s.addedAt > since);
  if (fresh.length === 0) return { skipped: 'skipped: no new data' };
  const old = shards.filter((s) => s.addedAt <= since);
  const newSamples = fresh.reduce((sum, s) => sum + s.sampleCount, 0);
  const replay = experiment.config.growth?.replay ?? DEFAULT_REPLAY;
  const rng = Rng.derive(experiment.config.seed, 'growth-replay', ...seedLabels);
  const replayed = pickReplay(old, newSamples, replay, rng);
  return {
    parentCheckpointId: parent.id,
    shards: [...fresh, ...replayed].map((s) => s.uri),
    newSamples,
  };
}
