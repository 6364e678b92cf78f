// Schedules start runs of an experiment on a cron expression or a fixed interval; each time one
// fires is a `schedule_firings` row, unique per (schedule, due time): the database's guarantee
// that two API processes never fire the same schedule twice for one due time.
import { FIRING_OUTCOMES, SCHEDULE_KINDS, type RunOptions } from '@curio/contracts';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { ID_PREFIXES } from '../ids';
import { createdAt, idColumn, timestampTz } from './columns';
import { experiments } from './experiments';
import { runs } from './runs';
import { teamIdColumn } from './teams';

export const schedules = pgTable(
  'schedules',
  {
    id: idColumn(ID_PREFIXES.schedule),
    teamId: teamIdColumn(),
    experimentId: text('experiment_id').notNull(),
    /** `run` or `growth` (`ScheduleKind` in `@curio/contracts`). */
    kind: text('kind', { enum: SCHEDULE_KINDS }).notNull().default('run'),
    /**
     * Five-field cron expressions or macros, several joined by ` | ` (daily times are `M H * * *`
     * each); exactly one of cron and interval_seconds is set.
     */
    cron: text('cron'),
    intervalSeconds: integer('interval_seconds'),
    /** The IANA time zone the cron is read in. */
    timezone: text('timezone').notNull().default('UTC'),
    enabled: boolean('enabled').notNull().default(true),
    /** How its runs start: budget, target, attempts, device (`RunOptions` in `@curio/contracts`). */
    runOptions: jsonb('run_options').$type<RunOptions>().notNull().default({}),
    nextRunAt: timestampTz('next_run_at').notNull(),
    lastRunAt: timestampTz('last_run_at'),
    lastRunId: text('last_run_id').references(() => runs.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('schedules_due_idx').on(t.enabled, t.nextRunAt),
    unique('schedules_team_id_uq').on(t.teamId, t.id),
    foreignKey({
      name: 'schedules_experiment_fk',
      columns: [t.teamId, t.experimentId],
      foreignColumns: [experiments.teamId, experiments.id],
    }).onDelete('cascade'),
    check('schedules_one_trigger', sql`(${t.cron} IS NULL) <> (${t.intervalSeconds} IS NULL)`),
    check('schedules_interval_pos', sql`${t.intervalSeconds} IS NULL OR ${t.intervalSeconds} > 0`),
  ],
);

/** One firing of a schedule: the run it started, or why it started none. */
export const scheduleFirings = pgTable(
  'schedule_firings',
  {
    id: idColumn(ID_PREFIXES.scheduleFiring),
    teamId: teamIdColumn(),
    scheduleId: text('schedule_id').notNull(),
    /** The due time it fired for. */
    dueAt: timestampTz('due_at').notNull(),
    outcome: text('outcome', { enum: FIRING_OUTCOMES }).notNull(),
    runId: text('run_id').references(() => runs.id, { onDelete: 'set null' }),
    message: text('message').notNull(),
    /** When it fired, by the API's clock. */
    firedAt: timestampTz('fired_at').notNull(),
  },
  (t) => [
    unique('schedule_firings_schedule_due_uq').on(t.scheduleId, t.dueAt),
    foreignKey({
      name: 'schedule_firings_schedule_fk',
      columns: [t.teamId, t.scheduleId],
      foreignColumns: [schedules.teamId, schedules.id],
    }).onDelete('cascade'),
    index('schedule_firings_team_idx').on(t.teamId, t.scheduleId),
  ],
);
