// transition(): the one writer of a run's status. In one transaction it locks the run row
// (SELECT … FOR UPDATE), checks the transitions table, updates the status with its side effects
// (attempt, timestamps, error, stop reason, resume checkpoint), and appends the `status` event.
// Two racing transitions serialize on the lock: the second sees the first's result and is refused.
import { and, desc, eq, sql, type Db, type SQL } from '@curio/db';
import {
  checkpoints,
  runEvents,
  runs,
  type Run,
  type RunEvent,
  type StopReason,
} from '@curio/db/schema';
import { RunLifecycleError } from './errors';
import type { RunStatus } from './statuses';
import { isRetry, refusal } from './transitions';

export interface TransitionOptions {
  /** Event message; default "from → to". */
  message?: string;
  /** Extra event data (merged with what the transition records itself). */
  data?: Record<string, unknown>;
  /** Stored on the run (for → failed) and in the event. */
  error?: string;
  /** Why the run stopped (→ succeeded | failed | canceled). */
  stopReason?: StopReason;
  /** → dispatching | running: which dispatcher and device run it. */
  backend?: string;
  device?: string;
  /** failed → queued: resume from this checkpoint; default the run's latest one. */
  resumeCheckpointId?: string | null;
  /** Compare-and-set: refuse as `conflict` unless the run is in (one of) these statuses. */
  expectedFrom?: RunStatus | readonly RunStatus[];
  /** The caller's attempt (a worker's): refused as `conflict` once the run is on another attempt. */
  attempt?: number;
  /** Team scoping: a run of another team is `not_found`. */
  teamId?: string;
  /** Checked under the row lock; returning a reason refuses the transition as `conflict`. */
  precondition?: (run: Run) => string | null;
}

export interface TransitionResult {
  run: Run;
  event: RunEvent;
}

/**
 * Move run `runId` to `to`, appending its `status` event, in one transaction. Throws
 * `RunLifecycleError` (`not_found`, `illegal_transition` naming from and to, or `conflict`).
 * `db` may be a transaction, so callers can make several transitions atomic.
 */
export async function transition(
  db: Db,
  runId: string,
  to: RunStatus,
  options: TransitionOptions = {},
): Promise<TransitionResult> {
  return db.transaction(async (tx) => {
    const where = options.teamId
      ? and(eq(runs.id, runId), eq(runs.teamId, options.teamId))
      : eq(runs.id, runId);
    const [run] = await tx.select().from(runs).where(where).for('update');
    if (!run)
      throw new RunLifecycleError('not_found', runId, `run ${runId} not found`, undefined, to);
    const from = run.status;

    const expected = options.expectedFrom === undefined ? undefined : [options.expectedFrom].flat();
    if (expected && !expected.includes(from)) {
      throw new RunLifecycleError(
        'conflict',
        runId,
        `run ${runId} is ${from}, not ${expected.join(' or ')}: cannot move it to ${to}`,
        from,
        to,
      );
    }
    if (options.attempt !== undefined && options.attempt !== run.attempt) {
      throw new RunLifecycleError(
        'conflict',
        runId,
        `run ${runId} is on attempt ${run.attempt}, not ${options.attempt}: cannot move it to ${to}`,
        from,
        to,
      );
    }
    const reason = refusal(from, to, run);
    if (reason) {
      throw new RunLifecycleError('illegal_transition', runId, `run ${runId}: ${reason}`, from, to);
    }
    const blocked = options.precondition?.(run);
    if (blocked) {
      throw new RunLifecycleError(
        'conflict',
        runId,
        `run ${runId} (${from} → ${to}): ${blocked}`,
        from,
        to,
      );
    }

    const patch = await sideEffects(tx, run, to, options);
    const seq = run.eventSeq + 1;
    const [updated] = await tx
      .update(runs)
      .set({ ...patch, status: to, eventSeq: seq })
      .where(and(eq(runs.id, runId), eq(runs.status, from)))
      .returning();
    if (!updated)
      throw new RunLifecycleError(
        'conflict',
        runId,
        `run ${runId} changed under its lock`,
        from,
        to,
      );

    const data = eventData(updated, from, to, options);
    const [event] = await tx
      .insert(runEvents)
      .values({
        teamId: run.teamId,
        runId,
        seq,
        type: 'status',
        fromStatus: from,
        toStatus: to,
        message: options.message ?? `${from} → ${to}`,
        data,
      })
      .returning();
    return { run: updated, event: event! };
  });
}

type RunValues = typeof runs.$inferInsert;
type RunPatch = { [K in keyof RunValues]?: RunValues[K] | SQL };

async function sideEffects(
  tx: Db,
  run: Run,
  to: RunStatus,
  options: TransitionOptions,
): Promise<RunPatch> {
  const now = sql`now()`;
  const placement = { backend: options.backend, device: options.device };
  switch (to) {
    case 'dispatching':
      // A new attempt; the dispatch time stands in for a heartbeat until the worker sends one.
      return { ...defined(placement), attempt: run.attempt + 1, heartbeatAt: now, error: null };
    case 'running':
      return {
        ...defined(placement),
        startedAt: sql`coalesce(${runs.startedAt}, now())`,
        heartbeatAt: now,
      };
    case 'succeeded':
      return { finishedAt: now, stopReason: options.stopReason ?? null, error: null };
    case 'failed':
      return {
        finishedAt: now,
        stopReason: options.stopReason ?? 'error',
        error: options.error ?? 'failed',
      };
    case 'canceled':
      return {
        finishedAt: now,
        stopReason: options.stopReason ?? 'canceled',
        error: options.error ?? null,
      };
    case 'queued': {
      const resumeCheckpointId =
        options.resumeCheckpointId !== undefined
          ? options.resumeCheckpointId
          : ((await latestCheckpointId(tx, run.id)) ?? run.resumeCheckpointId);
      return {
        finishedAt: null,
        stopReason: null,
        error: null,
        heartbeatAt: null,
        resumeCheckpointId,
      };
    }
  }
}

async function latestCheckpointId(tx: Db, runId: string): Promise<string | null> {
  const [latest] = await tx
    .select({ id: checkpoints.id })
    .from(checkpoints)
    .where(eq(checkpoints.runId, runId))
    .orderBy(desc(checkpoints.step))
    .limit(1);
  return latest?.id ?? null;
}

function eventData(
  run: Run,
  from: RunStatus,
  to: RunStatus,
  options: TransitionOptions,
): Record<string, unknown> {
  const data: Record<string, unknown> = { ...options.data, attempt: run.attempt };
  if (options.error !== undefined) data.error = options.error;
  if (run.stopReason && to !== 'queued') data.stopReason = run.stopReason;
  if (isRetry(from, to)) {
    data.retry = true;
    data.resumeCheckpointId = run.resumeCheckpointId;
  }
  if (options.backend) data.backend = options.backend;
  if (options.device) data.device = options.device;
  return data;
}

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
