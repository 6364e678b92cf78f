// Models by reference: a tower's `init` and a growth run's `growth.parent` in an API-created run
// name a checkpoint of the team's own, by id or by run (its latest, or the one at `step`), and are
// resolved to `{ checkpoint: id }` when a run is created. A path is refused (it would read the server's disk), and another team's
// checkpoint or run is answered exactly as a missing one.
import type { ModelInit, RunSpec } from '@curio/contracts';
import { and, desc, eq, type Db } from '@curio/db';
import { checkpoints } from '@curio/db/schema';
import type { FieldError } from '../http/problem.js';

type Model = Pick<RunSpec['model'], 'image' | 'text'>;
const TOWERS = ['image', 'text'] as const;

/** The model's inits resolved to checkpoint ids, and an error for each that does not resolve. */
export async function resolveModelInits<M extends Model>(
  db: Db,
  teamId: string,
  model: M,
  at: string,
): Promise<{ model: M; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const resolved = { ...model };
  for (const tower of TOWERS) {
    const init = model[tower].init;
    if (init === undefined) continue;
    const path = `${at}model.${tower}.init`;
    const found = await findCheckpoint(db, teamId, init);
    if ('error' in found) errors.push({ path, message: found.error });
    else resolved[tower] = { ...model[tower], init: { checkpoint: found.id } };
  }
  return { model: resolved, errors };
}

/** A growth section's `parent` resolved to a checkpoint id, or the error naming it. */
export async function resolveGrowthParent(
  db: Db,
  teamId: string,
  parent: ModelInit,
  at: string,
): Promise<{ parent: { checkpoint: string } } | { error: FieldError }> {
  const found = await findCheckpoint(db, teamId, parent);
  if ('error' in found) return { error: { path: `${at}growth.parent`, message: found.error } };
  return { parent: { checkpoint: found.id } };
}

const checkpointOf = (init: ModelInit | undefined): string[] =>
  typeof init === 'object' && 'checkpoint' in init ? [init.checkpoint] : [];

/** The checkpoint ids a run's resolved spec starts from: its growth parent, its towers' inits. */
export function initCheckpointIds(spec: Pick<RunSpec, 'model' | 'growth'>): string[] {
  return [
    ...checkpointOf(spec.growth?.parent),
    ...TOWERS.flatMap((t) => checkpointOf(spec.model[t].init)),
  ];
}

/** A checkpoint of the team by reference, or why there is none (a path is refused). */
export async function findCheckpoint(
  db: Db,
  teamId: string,
  init: ModelInit,
): Promise<{ id: string } | { error: string }> {
  if (typeof init === 'string')
    return {
      error:
        'a path is not accepted here: name a checkpoint of your team, { "checkpoint": "<id>" } or { "run": "<id>", "step": <n> }',
    };
  if ('checkpoint' in init) {
    const [row] = await db
      .select({ id: checkpoints.id })
      .from(checkpoints)
      .where(and(eq(checkpoints.teamId, teamId), eq(checkpoints.id, init.checkpoint)));
    return row ?? { error: `checkpoint ${init.checkpoint} not found` };
  }
  const [row] = await db
    .select({ id: checkpoints.id })
    .from(checkpoints)
    .where(
      and(
        eq(checkpoints.teamId, teamId),
        eq(checkpoints.runId, init.run),
        init.step === undefined ? undefined : eq(checkpoints.step, init.step),
      ),
    )
    .orderBy(desc(checkpoints.step))
    .limit(1);
  return (
    row ?? {
      error:
        init.step === undefined
          ? `run ${init.run} has no checkpoint`
          : `run ${init.run} has no checkpoint at step ${init.step}`,
    }
  );
}
