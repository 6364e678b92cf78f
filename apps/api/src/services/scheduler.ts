// The scheduler: starts the runs of enabled schedules that are due (by the app's clock). Each due
// schedule is claimed by moving its next_run_at forward (compare-and-set), and its run carries the
// idempotency key `schedule:<id>:<due time>`, so two API processes never start the same run twice.
// A schedule that was due several times while the API was down starts one run, not a backlog.
import { and, asc, eq, lte } from '@curio/db';
import { schedules, type Schedule } from '@curio/db/schema';
import type { AppContext } from '../deps.js';
import { nextCronTime, nextIntervalTime } from './schedule-times.js';
import { startRun } from './start-run.js';
import { errorSummary } from '../log.js';

export function nextFireTime(
  s: Pick<Schedule, 'cron' | 'intervalSeconds' | 'nextRunAt'>,
  now: Date,
): Date {
  if (s.intervalSeconds !== null) return nextIntervalTime(s.nextRunAt, s.intervalSeconds, now);
  return nextCronTime(s.cron!, now);
}

/** Start the runs that are due; returns the ids of the runs started. */
export async function fireDueSchedules(ctx: AppContext): Promise<string[]> {
  const { db } = ctx;
  const now = ctx.now();
  const due = await db
    .select()
    .from(schedules)
    .where(and(eq(schedules.enabled, true), lte(schedules.nextRunAt, now)))
    .orderBy(asc(schedules.nextRunAt))
    .limit(50);
  const started: string[] = [];
  for (const s of due) {
    const [claimed] = await db
      .update(schedules)
      .set({ nextRunAt: nextFireTime(s, now), lastRunAt: now })
      .where(and(eq(schedules.id, s.id), eq(schedules.nextRunAt, s.nextRunAt)))
      .returning({ id: schedules.id });
    if (!claimed) continue; // another process took it
    try {
      const { run } = await startRun(
        ctx,
        s.teamId,
        { experimentId: s.experimentId, ...s.runOptions },
        {
          idempotencyKey: `schedule:${s.id}:${s.nextRunAt.toISOString()}`,
          message: `started by schedule ${s.id}`,
          data: { scheduleId: s.id },
        },
      );
      await db.update(schedules).set({ lastRunId: run.id }).where(eq(schedules.id, s.id));
      started.push(run.id);
    } catch (error) {
      ctx.log(`schedule ${s.id}: could not start a run: ${errorSummary(error)}`);
    }
  }
  return started;
}
