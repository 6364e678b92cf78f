// Heartbeats: a worker's sign of life, carrying its usage so far. The answer tells the worker
// whether to go on: it stops when the run was canceled, finished, or taken over by a later attempt.
import { and, eq, inArray, sql, type Db } from '@curio/db';
import { runs } from '@curio/db/schema';
import { RunLifecycleError } from './errors';
import { ACTIVE_STATUSES, type RunStatus } from './statuses';

export interface HeartbeatInput {
  /** The worker's attempt number; a heartbeat from an older attempt is told to stop. */
  attempt?: number;
  /** Device-seconds and cost estimate so far (totals; they never go down). */
  deviceSeconds?: number;
  costEstimate?: number;
  teamId?: string;
}

export type StopWorkerReason = 'canceled' | 'finished' | 'superseded';

export interface HeartbeatAnswer {
  status: RunStatus;
  attempt: number;
  /** True: the worker must stop (see `reason`). */
  stop: boolean;
  reason?: StopWorkerReason;
}

export async function heartbeat(
  db: Db,
  runId: string,
  input: HeartbeatInput = {},
): Promise<HeartbeatAnswer> {
  const conditions = [eq(runs.id, runId), inArray(runs.status, [...ACTIVE_STATUSES])];
  if (input.teamId) conditions.push(eq(runs.teamId, input.teamId));
  if (input.attempt !== undefined) conditions.push(eq(runs.attempt, input.attempt));
  const [alive] = await db
    .update(runs)
    .set({
      heartbeatAt: sql`now()`,
      updatedAt: sql`${runs.updatedAt}`,
      ...(input.deviceSeconds !== undefined && {
        deviceSeconds: sql`greatest(${runs.deviceSeconds}, ${input.deviceSeconds})`,
      }),
      ...(input.costEstimate !== undefined && {
        costEstimate: sql`greatest(${runs.costEstimate}, ${input.costEstimate})`,
      }),
    })
    .where(and(...conditions))
    .returning({ status: runs.status, attempt: runs.attempt });
  if (alive) return { ...alive, stop: false };

  const scope = input.teamId
    ? and(eq(runs.id, runId), eq(runs.teamId, input.teamId))
    : eq(runs.id, runId);
  const [run] = await db
    .select({ status: runs.status, attempt: runs.attempt })
    .from(runs)
    .where(scope);
  if (!run) throw new RunLifecycleError('not_found', runId, `run ${runId} not found`);
  return { ...run, stop: true, reason: whyStop(run.status, run.attempt, input.attempt) };
}

function whyStop(
  status: RunStatus,
  attempt: number,
  workerAttempt: number | undefined,
): StopWorkerReason {
  if (status === 'canceled') return 'canceled';
  if (status === 'queued' || (workerAttempt !== undefined && workerAttempt !== attempt))
    return 'superseded';
  return 'finished';
}
