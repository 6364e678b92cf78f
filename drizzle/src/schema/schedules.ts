// Schedules start runs of an experiment on a cron expression or a fixed interval.
import type { RunOptions } from '@curio/contracts';
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
    /**
     * Five-field cron expressions (UTC), several joined by ` | ` (daily times are `M H * * *`
     * each); exactly one of cron and interval_seconds is set.
     */
    cron: text('cron'),
    intervalSeconds: integer('interval_seconds'),
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
    foreignKey({
      name: 'schedules_experiment_fk',
      columns: [t.teamId, t.experimentId],
      foreignColumns: [experiments.teamId, experiments.id],
    }).onDelete('cascade'),
    check('schedules_one_trigger', sql`(${t.cron} IS NULL) <> (${t.intervalSeconds} IS NULL)`),
    check('schedules_interval_pos', sql`${t.intervalSeconds} IS NULL OR ${t.intervalSeconds} > 0`),
  ],
);
