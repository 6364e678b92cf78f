// What the worker reports about lineage, stored: a checkpoint's parent, and each growth step of a
// run (its `growth` events). A checkpoint's parent is the run's previous checkpoint; the first one
// of a run takes the checkpoint the worker names (`parentCheckpoint`, a growth run's parent), else
// the one its spec starts from (`growth.parent`, then the towers' inits).
import { GrowthStepData, type RunSpec } from '@curio/contracts';
import { and, desc, eq, lt, type Db } from '@curio/db';
import { checkpoints, growthSteps, type Run } from '@curio/db/schema';
import { unprocessable } from '../http/problem.js';
import { initCheckpointIds } from './resolve-init.js';

async function teamCheckpoint(db: Db, teamId: string, id: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: checkpoints.id })
    .from(checkpoints)
    .where(and(eq(checkpoints.teamId, teamId), eq(checkpoints.id, id)));
  return row?.id;
}

/** The parent of the run's checkpoint at `step`; a `reported` id the team lacks is a 422. */
export async function checkpointParent(
  db: Db,
  run: Pick<Run, 'id' | 'teamId' | 'spec'>,
  step: number,
  reported: string | undefined,
): Promise<string | null> {
  if (reported !== undefined && !(await teamCheckpoint(db, run.teamId, reported)))
    throw unprocessable('unknown-reference', `parent checkpoint ${reported} not found`, [
      { path: 'parentCheckpoint', message: `checkpoint ${reported} not found` },
    ]);
  const [previous] = await db
    .select({ id: checkpoints.id })
    .from(checkpoints)
    .where(and(eq(checkpoints.runId, run.id), lt(checkpoints.step, step)))
    .orderBy(desc(checkpoints.step))
    .limit(1);
  if (previous) return previous.id;
  if (reported !== undefined) return reported;
  const spec = run.spec as RunSpec | null;
  for (const id of spec ? initCheckpointIds(spec) : [])
    if (await teamCheckpoint(db, run.teamId, id)) return id;
  return null;
}

/** Store the growth steps among a batch of worker events (a resent step is stored once). */
export async function recordGrowthSteps(
  db: Db,
  run: Pick<Run, 'id' | 'teamId'>,
  events: { type: string; data?: Record<string, unknown> | undefined }[],
): Promise<void> {
  for (const event of events) {
    if (event.type !== 'growth') continue;
    const parsed = GrowthStepData.safeParse(event.data);
    if (!parsed.success) continue;
    const data = parsed.data;
    await db
      .insert(growthSteps)
      .values({
        teamId: run.teamId,
        runId: run.id,
        step: data.step,
        parentCheckpointId: (await teamCheckpoint(db, run.teamId, data.parentCheckpoint)) ?? null,
        data,
      })
      .onConflictDoNothing({ target: [growthSteps.runId, growthSteps.step] });
  }
}
