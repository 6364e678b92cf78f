// Schedules: start a run of an experiment every N minutes, at fixed times of day, or on a cron.
// A `growth` schedule starts a growth run only when the experiment's pool has new shards; each
// time a schedule fires is recorded (a `ScheduleFiring`: started, skipped or failed).
import { z } from 'zod';
import { Timestamp } from './common.js';
import { RunOptions } from './runs.js';

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM (24 h)');

/**
 * `run`: a run of the experiment each time. `growth`: a growth run from the experiment's best
 * checkpoint on the shards added to its pool since its last growth run, plus a replay share of
 * the old (`growth.replay` of the experiment's config, default 0.3); nothing new, nothing started.
 */
export const SCHEDULE_KINDS = ['run', 'growth'] as const;
export const ScheduleKind = z.enum(SCHEDULE_KINDS);
export type ScheduleKind = z.infer<typeof ScheduleKind>;

export const ScheduleCreate = z
  .object({
    experimentId: z.string().min(1).max(100),
    kind: ScheduleKind.default('run'),
    /** Every N minutes, the first N minutes from now. */
    everyMinutes: z.number().int().min(1).max(525_600).optional(),
    /** Every day at these times (in `timezone`). */
    at: z.array(TimeOfDay).min(1).max(100).optional(),
    /**
     * A five-field cron expression (minute hour day-of-month month day-of-week, in `timezone`):
     * names (`MON-FRI`, `JAN`), ranges, steps, lists, or a macro (`@daily`, `@hourly`, `@weekly`,
     * `@monthly`, `@yearly`).
     */
    cron: z.string().min(1).max(200).optional(),
    /** The IANA time zone `at` and `cron` are read in. */
    timezone: z.string().min(1).max(100).default('UTC'),
    enabled: z.boolean().default(true),
    run: RunOptions.default({}),
  })
  .superRefine((s, ctx) => {
    const given = [s.everyMinutes, s.at, s.cron].filter((v) => v !== undefined).length;
    if (given !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['everyMinutes'],
        message: 'give exactly one of everyMinutes, at and cron',
      });
  });
export type ScheduleCreate = z.input<typeof ScheduleCreate>;

export const ScheduleUpdate = z.object({ enabled: z.boolean() });
export type ScheduleUpdate = z.input<typeof ScheduleUpdate>;

export const Schedule = z
  .object({
    id: z.string(),
    experimentId: z.string(),
    kind: ScheduleKind,
    everyMinutes: z.number().nullable(),
    at: z.array(z.string()).nullable(),
    cron: z.string().nullable(),
    timezone: z.string(),
    enabled: z.boolean(),
    run: RunOptions,
    nextRunAt: Timestamp,
    lastRunAt: Timestamp.nullable(),
    lastRunId: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Schedule' });
export type Schedule = z.infer<typeof Schedule>;

/** What happened when a schedule fired: a run started, nothing to do, or the run could not start. */
export const FIRING_OUTCOMES = ['started', 'skipped', 'failed'] as const;
export const FiringOutcome = z.enum(FIRING_OUTCOMES);
export type FiringOutcome = z.infer<typeof FiringOutcome>;

export const ScheduleFiring = z
  .object({
    id: z.string(),
    scheduleId: z.string(),
    /** The due time it fired for (one firing per schedule and due time). */
    dueAt: Timestamp,
    outcome: FiringOutcome,
    runId: z.string().nullable(),
    /** e.g. `skipped: no new data`, or why the run could not start. */
    message: z.string(),
    firedAt: Timestamp,
  })
  .meta({ id: 'ScheduleFiring' });
export type ScheduleFiring = z.infer<typeof ScheduleFiring>;
