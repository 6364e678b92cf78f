// Non-status events (logs, progress, curation rounds, checkpoint and evaluation notices) on a run's event log.
// `seq` comes from the run row's counter, bumped by an UPDATE that also serializes with
// transition(), so a run's events are numbered 1, 2, … without gaps or duplicates.
import { and, eq, sql, type Db } from '@curio/db';
import { runEvents, runs, type RunEvent, type RunEventType } from '@curio/db/schema';
import { RunLifecycleError } from './errors';

export interface EventInput {
  /** Any type but `status`, which only transition() writes. */
  type: Exclude<RunEventType, 'status'>;
  message?: string | null;
  data?: Record<string, unknown> | null;
}

/** Append events to a run's log in one transaction; returns them with their seq. */
export async function appendEvents(
  db: Db,
  runId: string,
  events: readonly EventInput[],
  options: { teamId?: string } = {},
): Promise<RunEvent[]> {
  if (events.length === 0) return [];
  for (const e of events) {
    if ((e.type as string) === 'status') {
      throw new RunLifecycleError(
        'illegal_transition',
        runId,
        'status events are written only by transition()',
      );
    }
  }
  return db.transaction(async (tx) => {
    const where = options.teamId
      ? and(eq(runs.id, runId), eq(runs.teamId, options.teamId))
      : eq(runs.id, runId);
    const [counter] = await tx
      .update(runs)
      .set({
        eventSeq: sql`${runs.eventSeq} + ${events.length}`,
        updatedAt: sql`${runs.updatedAt}`,
      })
      .where(where)
      .returning({ last: runs.eventSeq, teamId: runs.teamId });
    if (!counter) throw new RunLifecycleError('not_found', runId, `run ${runId} not found`);
    const first = counter.last - events.length + 1;
    return tx
      .insert(runEvents)
      .values(
        events.map((e, i) => ({
          teamId: counter.teamId,
          runId,
          seq: first + i,
          type: e.type,
          message: e.message ?? null,
          data: e.data ?? null,
        })),
      )
      .returning();
  });
}

export async function appendEvent(
  db: Db,
  runId: string,
  event: EventInput,
  options: { teamId?: string } = {},
): Promise<RunEvent> {
  const [appended] = await appendEvents(db, runId, [event], options);
  return appended!;
}
