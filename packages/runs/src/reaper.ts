// The reaper: a run whose worker stopped sending heartbeats (dispatching or running, heartbeat
// older than `staleAfterMs` by the database clock) is failed and, within its retry budget,
// re-queued to resume from its last checkpoint. Call it on an interval from the API process.
import { and, inArray, lt, sql, type Db } from '@curio/db';
import { runs } from '@curio/db/schema';
import { isRunLifecycleError } from './errors';
import { failRun } from './fail';
import { ACTIVE_STATUSES, type ActiveStatus } from './statuses';

export interface ReapOptions {
  /** A heartbeat older than this marks the worker lost. */
  staleAfterMs: number;
  /** Re-queue within the retry budget (default true). */
  retry?: boolean;
  /** At most this many runs per call (default 100). */
  limit?: number;
}

export interface ReapedRun {
  runId: string;
  from: ActiveStatus;
  attempt: number;
  outcome: 'requeued' | 'failed';
}

export async function reapStaleRuns(db: Db, options: ReapOptions): Promise<ReapedRun[]> {
  const lastSeen = sql`coalesce(${runs.heartbeatAt}, ${runs.updatedAt})`;
  const cutoff = sql`now() - (${options.staleAfterMs} * interval '1 millisecond')`;
  const stale = await db
    .select({ id: runs.id, cutoffMs: sql<number>`(extract(epoch from ${cutoff}) * 1000)::float8` })
    .from(runs)
    .where(and(inArray(runs.status, [...ACTIVE_STATUSES]), lt(lastSeen, cutoff)))
    .orderBy(lastSeen)
    .limit(options.limit ?? 100);

  const reaped: ReapedRun[] = [];
  for (const { id, cutoffMs } of stale) {
    const seconds = Math.round(options.staleAfterMs / 1000);
    try {
      const { run, from, requeued } = await failRun(db, id, {
        error: `no heartbeat for ${seconds}s: worker lost`,
        retry: options.retry ?? true,
        expectedFrom: ACTIVE_STATUSES,
        data: { reason: 'heartbeat_lost', staleAfterMs: options.staleAfterMs },
        // Re-checked under the row lock: a heartbeat that arrived since the scan saves the run.
        precondition: (r) => {
          const seen = r.heartbeatAt ?? r.updatedAt;
          return seen.getTime() < Number(cutoffMs) ? null : 'a heartbeat arrived meanwhile';
        },
      });
      reaped.push({
        runId: id,
        from: from as ActiveStatus,
        attempt: run.attempt,
        outcome: requeued ? 'requeued' : 'failed',
      });
    } catch (error) {
      if (isRunLifecycleError(error, 'conflict') || isRunLifecycleError(error, 'not_found'))
        continue;
      throw error;
    }
  }
  return reaped;
}
