// A new run that resumes from a checkpoint of an earlier run of its experiment (a retry of a failed
// or canceled run from where it stopped). The checkpoint's files are copied into the new run's
// blob space and recorded as the new run's own checkpoint at the same step (its parent: the
// original), and the run's `resumeCheckpointId` names it: the worker then resumes exactly as a
// retried attempt does (`resumeFrom` in its assignment), and the new run keeps its starting point
// whatever retention later does to the old run's checkpoints.
import type { CheckpointRef } from '@curio/contracts';
import { and, eq, type Db, type Tx } from '@curio/db';
import { checkpoints, runs, type Checkpoint, type Run } from '@curio/db/schema';
import { unprocessable } from '../http/problem.js';
import type { RunBlobs } from './run-blobs.js';
import { findCheckpoint } from './resolve-init.js';

/** The team's checkpoint `ref` names, if it is of a run of `experimentId`; else a 422. */
export async function resumableCheckpoint(
  db: Db,
  teamId: string,
  ref: CheckpointRef,
  experimentId: string,
): Promise<Checkpoint> {
  const refuse = (message: string) =>
    unprocessable('unknown-reference', `nothing was stored: resumeFrom: ${message}`, [
      { path: 'resumeFrom', message },
    ]);
  const found = await findCheckpoint(db, teamId, ref);
  if ('error' in found) throw refuse(found.error);
  const [row] = await db
    .select({ checkpoint: checkpoints, experimentId: runs.experimentId })
    .from(checkpoints)
    .innerJoin(runs, eq(runs.id, checkpoints.runId))
    .where(and(eq(checkpoints.teamId, teamId), eq(checkpoints.id, found.id)));
  if (!row) throw refuse(`checkpoint ${found.id} not found`);
  if (row.experimentId !== experimentId)
    throw refuse(
      `checkpoint ${found.id} is of a run of experiment ${row.experimentId}, not ${experimentId}`,
    );
  return row.checkpoint;
}

/** Copy `source` into `run`'s blob space, record it there, and make the run resume from it. */
export async function resumeFrom(
  tx: Tx,
  blobs: RunBlobs,
  run: Run,
  source: Checkpoint,
): Promise<Run> {
  const key = blobs.keyOfUri(source.runId, source.blobUri);
  const files = key === undefined ? [] : await blobs.list(source.runId, `${key}/`);
  if (key === undefined || files.length === 0)
    throw unprocessable(
      'unknown-reference',
      `nothing was stored: resumeFrom: checkpoint ${source.id} has no files`,
      [{ path: 'resumeFrom', message: `checkpoint ${source.id} has no files` }],
    );
  try {
    for (const file of files) {
      const blob = await blobs.get(source.runId, file);
      if (!blob) throw new Error(`checkpoint ${source.id}: ${file} disappeared while copying`);
      await blobs.put(run.id, file, blob.stream, blob.size);
    }
  } catch (error) {
    await Promise.all(files.map((f) => blobs.remove(run.id, f)));
    throw error;
  }
  const [copy] = await tx
    .insert(checkpoints)
    .values({
      teamId: run.teamId,
      runId: run.id,
      step: source.step,
      blobUri: blobs.uri(run.id, key),
      architecture: source.architecture,
      parentCheckpointId: source.id,
      sizeBytes: source.sizeBytes,
      sha256: source.sha256,
    })
    .returning();
  const [resumed] = await tx
    .update(runs)
    .set({ resumeCheckpointId: copy!.id })
    .where(eq(runs.id, run.id))
    .returning();
  return resumed!;
}
