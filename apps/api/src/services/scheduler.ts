// The scheduler: fires the enabled schedules that are due (by the app's clock). A firing is one
// transaction that inserts its `schedule_firings` row, unique per (schedule, due time), moves the
// schedule to its next time, and starts the run (whose idempotency key is
// `schedule:<id>:<due time>`). A second API process firing the same schedule waits on that unique
// key and, once the first commits, finds it taken and does nothing: never two runs for one due
// time. A schedule due several times while the API was down fires once (one catch-up), then
// moves to its next time after now.
import { and, asc, eq, lte } from '@curio/db';
import { experiments, scheduleFirings, schedules, type Schedule } from '@curio/db/schema';
import type { FiringOutcome } from '@curio/contracts';
import type { AppContext } from '../deps.js';
import { planGrowthRun } from './growth-plan.js';
import { nextCronTime, nextIntervalTime } from './schedule-times.js';
import { startRun } from './start-run.js';
import { errorSummary } from '../log.js';

export function nextFireTime(
  s: Pick<Schedule, 'cron' | 'intervalSeconds' | 'nextRunAt' | 'timezone'>,
  now: Date,
): Date {
  if (s.intervalSeconds !== null) return nextIntervalTime(s.nextRunAt, s.intervalSeconds, now);
  return nextCronTime(s.cron!, now, s.timezone);
}

interface Outcome {
  outcome: FiringOutcome;
  runId: string | null;
  message: string;
}

/** Fire the schedules that are due; returns the ids of the runs started. */
export async function fireDueSchedules(ctx: AppContext): Promise<string[]> {
  const now = ctx.now();
  const due = await ctx.db
    .select()
    .from(schedules)
    .where(and(eq(schedules.enabled, true), lte(schedules.nextRunAt, now)))
    .orderBy(asc(schedules.nextRunAt))
    .limit(50);
  const started: string[] = [];
  for (const s of due) {
    try {
      const fired = await fireSchedule(ctx, s, now);
      if (fired?.runId) started.push(fired.runId);
    } catch (error) {
      ctx.log(`schedule ${s.id}: could not fire: ${errorSummary(error)}`);
    }
  }
  return started;
}

/** Fire one schedule for its due time; undefined when another process fired it already. */
async function fireSchedule(ctx: AppContext, s: Schedule, now: Date): Promise<Outcome | undefined> {
  return ctx.db.transaction(async (tx) => {
    const [claimed] = await tx
      .insert(scheduleFirings)
      .values({
        teamId: s.teamId,
        scheduleId: s.id,
        dueAt: s.nextRunAt,
        outcome: 'skipped',
        message: 'firing',
        firedAt: now,
      })
      .onConflictDoNothing({ target: [scheduleFirings.scheduleId, scheduleFirings.dueAt] })
      .returning({ id: scheduleFirings.id });
    if (!claimed) return undefined;
    const result = await tx
      .transaction((inner) => startScheduledRun({ ...ctx, db: inner }, s))
      .catch((error: unknown): Outcome => {
        const message = `failed: ${errorSummary(error)}`;
        ctx.log(`schedule ${s.id}: ${message}`);
        return { outcome: 'failed', runId: null, message };
      });
    await tx.update(scheduleFirings).set(result).where(eq(scheduleFirings.id, claimed.id));
    await tx
      .update(schedules)
      .set({
        nextRunAt: nextFireTime(s, now),
        lastRunAt: now,
        ...(result.runId && { lastRunId: result.runId }),
      })
      .where(eq(schedules.id, s.id));
    return result;
  });
}

async function startScheduledRun(ctx: AppContext, s: Schedule): Promise<Outcome> {
  const dueAt = s.nextRunAt.toISOString();
  let growth;
  if (s.kind === 'growth') {
    const [experiment] = await ctx.db
      .select()
      .from(experiments)
      .where(and(eq(experiments.teamId, s.teamId), eq(experiments.id, s.experimentId)));
    if (!experiment) throw new Error(`experiment ${s.experimentId} not found`);
    const plan = await planGrowthRun(ctx.db, experiment, [s.id, dueAt]);
    if ('skipped' in plan) return { outcome: 'skipped', runId: null, message: plan.skipped };
    growth = plan;
  }
  const { run } = await startRun(
    ctx,
    s.teamId,
    { experimentId: s.experimentId, ...s.runOptions },
    {
      idempotencyKey: `schedule:${s.id}:${dueAt}`,
      message: `started by schedule ${s.id}`,
      data: { scheduleId: s.id },
      ...(growth && { growth }),
    },
  );
  const what = growth
    ? `growth run from checkpoint ${growth.parentCheckpointId} on ${growth.shards.length} shards (${growth.newSamples} new pairs)`
    : 'run';
  return { outcome: 'started', runId: run.id, message: `started ${what} ${run.id}` };
}
