// A model to start from (a tower's `init`, a growth run's `growth.parent`): one vocabulary for
// the API, which resolves references to `{ checkpoint }`, and the trainer, which reads them.
import { z } from 'zod';

/**
 * A model to start from. API-created runs name a checkpoint of the team's own: by id, or by run
 * (its latest checkpoint, or the one at `step`); the API resolves both to `{ checkpoint }` and the
 * worker downloads it with its run token. A path (a checkpoint folder, or a run's `checkpoints/`)
 * is for the standalone `curio-train --spec` only: the API refuses it.
 */
const ObjectId = z.string().regex(/^[A-Za-z0-9_]{1,100}$/, 'an id: letters, digits and _');
const ByCheckpoint = z.strictObject({ checkpoint: ObjectId });
const ByRun = z.strictObject({
  run: ObjectId,
  step: z.number().int().min(0).max(2_147_483_647).optional(),
});
export const ModelInit = z.union([z.string().min(1), ByCheckpoint, ByRun]);
export type ModelInit = z.infer<typeof ModelInit>;

/** A checkpoint of the team's own, by id or by run (its latest, or the one at `step`): no path. */
export const CheckpointRef = z.union([ByCheckpoint, ByRun]);
export type CheckpointRef = z.infer<typeof CheckpointRef>;
