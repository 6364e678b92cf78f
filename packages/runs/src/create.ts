// createRun(): insert a queued run and its first `status` event (null → queued) in one
// transaction. A repeated create with the same team and idempotency key returns the first run.
import { and, eq, type Db } from '@curio/db';
import { runEvents, runs, type NewRun, type Run } from '@curio/db/schema';

/** What the caller decides about a new run; the lifecycle fields are set here. */
export type CreateRunInput = Pick<NewRun, 'teamId' | 'experimentId'> &
  Partial<
    Pick<
      NewRun,
      | 'id'
      | 'maxAttempts'
      | 'backend'
      | 'device'
      | 'budgetMaxMinutes'
      | 'budgetMaxCost'
      | 'targetAccuracy'
      | 'targetEvalSet'
      | 'idempotencyKey'
      | 'spec'
      | 'resumeCheckpointId'
    >
  >;

export interface CreateRunResult {
  run: Run;
  /** False when the idempotency key matched an earlier run, which is returned instead. */
  created: boolean;
}

export async function createRun(
  db: Db,
  input: CreateRunInput,
  options: { message?: string; data?: Record<string, unknown> } = {},
): Promise<CreateRunResult> {
  return db.transaction(async (tx) => {
    const [run] = await tx
      .insert(runs)
      .values({ ...input, status: 'queued', attempt: 0, eventSeq: 1 })
      .onConflictDoNothing({ target: [runs.teamId, runs.idempotencyKey] })
      .returning();
    if (!run) {
      const [existing] = await tx
        .select()
        .from(runs)
        .where(
          and(eq(runs.teamId, input.teamId), eq(runs.idempotencyKey, input.idempotencyKey ?? '')),
        );
      if (!existing)
        throw new Error(`run insert for team ${input.teamId} was skipped without a conflict`);
      return { run: existing, created: false };
    }
    await tx.insert(runEvents).values({
      teamId: run.teamId,
      runId: run.id,
      seq: 1,
      type: 'status',
      fromStatus: null,
      toStatus: 'queued',
      message: options.message ?? 'created',
      data: { ...options.data, attempt: 0, maxAttempts: run.maxAttempts },
    });
    return { run, created: true };
  });
}
