// Starting a run of an experiment: resolve its config into a full spec (fixing shards, metadata
// version and eval set folders now), fold in the budget and target, and create the queued run.
// The same Idempotency-Key (per team) returns the first run instead of making a second.
import type { RunCreate } from '@curio/contracts';
import { and, eq, type Db } from '@curio/db';
import { experiments, runs, type Run } from '@curio/db/schema';
import { createRun } from '@curio/runs';
import type { AppContext } from '../deps.js';
import { conflict, unprocessable } from '../http/problem.js';
import { checkDevice } from '../prices.js';
import { resolveRunSpec, type GrowthPlan } from './resolve-spec.js';
import { resumableCheckpoint, resumeFrom } from './resume-checkpoint.js';
import { RunBlobs } from './run-blobs.js';

type StartInput = Omit<RunCreate, 'budget'> & {
  budget?: { maxMinutes?: number | undefined; maxCost?: number | undefined } | undefined;
};

export async function startRun(
  ctx: AppContext,
  teamId: string,
  input: StartInput,
  options: {
    idempotencyKey?: string | undefined;
    message?: string;
    data?: Record<string, unknown>;
    /** A growth schedule's decision: grow this parent on these shards. */
    growth?: GrowthPlan;
  } = {},
): Promise<{ run: Run; created: boolean }> {
  const { db } = ctx;
  const { idempotencyKey } = options;
  checkDevice(ctx.prices, input.device, 'device');
  if (idempotencyKey !== undefined) {
    const [existing] = await db
      .select()
      .from(runs)
      .where(and(eq(runs.teamId, teamId), eq(runs.idempotencyKey, idempotencyKey)));
    if (existing) return sameRequest(existing, input.experimentId, idempotencyKey);
  }
  const [experiment] = await db
    .select()
    .from(experiments)
    .where(and(eq(experiments.teamId, teamId), eq(experiments.id, input.experimentId)));
  if (!experiment)
    throw unprocessable(
      'unknown-reference',
      `nothing was stored: experiment ${input.experimentId} not found`,
      [{ path: 'experimentId', message: `experiment ${input.experimentId} not found` }],
    );
  const spec = await resolveRunSpec(db, teamId, experiment.config, input, options.growth);
  const source =
    input.resumeFrom && (await resumableCheckpoint(db, teamId, input.resumeFrom, experiment.id));
  const target = spec.stop.targetAccuracy;
  const create = (tx: Db) =>
    createRun(
      tx,
      {
        teamId,
        experimentId: experiment.id,
        spec,
        maxAttempts: input.maxAttempts ?? 3,
        device: input.device ?? ctx.defaultDevice,
        budgetMaxMinutes: input.budget?.maxMinutes ?? null,
        budgetMaxCost: input.budget?.maxCost ?? null,
        targetAccuracy: target?.top1 ?? null,
        targetEvalSet: target ? (target.evalSet ?? spec.evalSets[0]?.name ?? null) : null,
        idempotencyKey: idempotencyKey ?? null,
      },
      {
        message:
          (options.message ?? 'created') +
          (source
            ? `, resuming from checkpoint ${source.id} (run ${source.runId}, step ${source.step})`
            : ''),
        data: {
          experiment: experiment.name,
          ...(source && { resumeFrom: source.id }),
          ...options.data,
        },
      },
    );
  // Resuming copies the checkpoint in the run's creating transaction: no worker sees the run
  // before it has the checkpoint to resume from.
  const result = source
    ? await db.transaction(async (tx) => {
        const made = await create(tx);
        if (!made.created) return made;
        return {
          ...made,
          run: await resumeFrom(tx, new RunBlobs(ctx.blobStore), made.run, source),
        };
      })
    : await create(db);
  if (!result.created) return sameRequest(result.run, input.experimentId, idempotencyKey!);
  return result;
}

function sameRequest(run: Run, experimentId: string, key: string): { run: Run; created: boolean } {
  if (run.experimentId !== experimentId)
    throw conflict(
      'idempotency-key-reused',
      `Idempotency-Key "${key}" was used for run ${run.id} of experiment ${run.experimentId}, not ${experimentId}`,
    );
  return { run, created: false };
}
