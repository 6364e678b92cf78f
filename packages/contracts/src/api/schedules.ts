// Schedules: start a run of an experiment every N minutes, at fixed times of day, or on a cron.
import { z } from 'zod';
import { Timestamp } from './common.js';
import { RunOptions } from './runs.js';

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM (UTC, 24 h)');

export const ScheduleCreate = z
  .object({
    experimentId: z.string().min(1).max(100),
    /** Every N minutes, the first N minutes from now. */
    everyMinutes: z.number().int().min(1).max(525_600).optional(),
    /** Every day at these times (UTC). */
    at: z.array(TimeOfDay).min(1).max(100).optional(),
    /** A five-field cron expression (UTC): minute hour day-of-month month day-of-week. */
    cron: z.string().min(9).max(200).optional(),
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
    everyMinutes: z.number().nullable(),
    at: z.array(z.string()).nullable(),
    cron: z.string().nullable(),
    enabled: z.boolean(),
    run: RunOptions,
    nextRunAt: Timestamp,
    lastRunAt: Timestamp.nullable(),
    lastRunId: z.string().nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Schedule' });
export type Schedule = z.infer<typeof Schedule>;
