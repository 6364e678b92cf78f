// An experiment's lineage read from the store: the checkpoints of its runs (and the parents they
// came from in other experiments of the team), each with its best evaluation, and the growth
// steps of its runs with the child checkpoint each led to.
import type { Lineage } from '@curio/contracts';
import { and, asc, eq, inArray, type Db } from '@curio/db';
import { checkpoints, evaluations, growthSteps, runs, type Checkpoint } from '@curio/db/schema';
import {
  presentGrowthStep,
  presentLineageCheckpoint,
  type BestEval,
} from '../presenters/lineage.js';

/** Best zero-shot top-1 per checkpoint (evaluations tied by id, or by run and step). */
async function bestEvals(db: Db, nodes: Checkpoint[]): Promise<Map<string, BestEval>> {
  const runIds = [...new Set(nodes.map((c) => c.runId))];
  const rows = runIds.length
    ? await db.select().from(evaluations).where(inArray(evaluations.runId, runIds))
    : [];
  const byRunStep = new Map(nodes.map((c) => [`${c.runId}:${c.step}`, c.id]));
  const best = new Map<string, BestEval>();
  for (const e of rows) {
    const id = e.checkpointId ?? byRunStep.get(`${e.runId}:${e.step}`);
    const top1 = e.metrics['zeroShot.top1'];
    if (id === undefined || top1 === undefined) continue;
    if ((best.get(id)?.top1 ?? -Infinity) < top1)
      best.set(id, { evalSet: e.evalSetName, top1, step: e.step });
  }
  return best;
}

export async function readLineage(db: Db, teamId: string, experimentId: string): Promise<Lineage> {
  const ofExperiment = and(eq(runs.teamId, teamId), eq(runs.experimentId, experimentId));
  const own = (
    await db
      .select({ checkpoint: checkpoints })
      .from(checkpoints)
      .innerJoin(runs, eq(runs.id, checkpoints.runId))
      .where(ofExperiment)
      .orderBy(asc(checkpoints.createdAt), asc(checkpoints.step))
  ).map((r) => r.checkpoint);
  const ownIds = own.map((c) => c.id);
  const outside = [
    ...new Set(own.flatMap((c) => (c.parentCheckpointId ? [c.parentCheckpointId] : []))),
  ].filter((id) => !ownIds.includes(id));
  const external = outside.length
    ? await db
        .select()
        .from(checkpoints)
        .where(and(eq(checkpoints.teamId, teamId), inArray(checkpoints.id, outside)))
    : [];
  const nodes = [...external, ...own];
  const best = await bestEvals(db, nodes);

  const steps = (
    await db
      .select({ step: growthSteps })
      .from(growthSteps)
      .innerJoin(runs, eq(runs.id, growthSteps.runId))
      .where(ofExperiment)
      .orderBy(asc(growthSteps.at))
  ).map((r) => r.step);
  const childOf = (runId: string, step: number) =>
    own.filter((c) => c.runId === runId && c.step >= step).sort((a, b) => a.step - b.step)[0]?.id ??
    null;

  return {
    experimentId,
    checkpoints: nodes.map((c) =>
      presentLineageCheckpoint(c, !ownIds.includes(c.id), best.get(c.id)),
    ),
    growthSteps: steps.map((g) => presentGrowthStep(g, childOf(g.runId, g.step))),
  };
}
