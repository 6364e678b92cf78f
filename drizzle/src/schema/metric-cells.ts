// Rollups of a run's metric points, kept as the points arrive: each series cut into aligned cells
// of a few step widths, each cell holding its first, last, lowest and highest point. The API
// answers a downsampled series and a run's latest values from these rows, not the raw points.
import type { MetricName } from '@curio/contracts';
import {
  doublePrecision,
  foreignKey,
  integer,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';
import { timestampTz } from './columns';
import { runs } from './runs';
import { teamIdColumn } from './teams';

/**
 * Cell widths in steps, finest first: each is 8 × the one before, so a cell is made of (at most)
 * 8 cells of the width below, and a cell of the finest width of at most 8 points. The triggers of
 * migration `0009_metric_cells_triggers` use the same widths.
 */
export const METRIC_CELL_WIDTHS = [8, 64, 512, 4096] as const;
export type MetricCellWidth = (typeof METRIC_CELL_WIDTHS)[number];

/**
 * Cell `cell` of width `width` of a series holds its points with steps in
 * [cell × width, (cell + 1) × width). Written only by the triggers on `metrics` (every insert and
 * upsert refreshes the cells it touched, in the same statement), never by the API.
 * Lowest and highest are the earliest such point on ties.
 */
export const metricCells = pgTable(
  'metric_cells',
  {
    teamId: teamIdColumn(),
    runId: text('run_id').notNull(),
    name: text('name').$type<MetricName>().notNull(),
    width: integer('width').$type<MetricCellWidth>().notNull(),
    cell: integer('cell').notNull(),
    points: integer('points').notNull(),
    firstStep: integer('first_step').notNull(),
    firstValue: doublePrecision('first_value').notNull(),
    firstAt: timestampTz('first_at').notNull(),
    lastStep: integer('last_step').notNull(),
    lastValue: doublePrecision('last_value').notNull(),
    lastAt: timestampTz('last_at').notNull(),
    minStep: integer('min_step').notNull(),
    minValue: doublePrecision('min_value').notNull(),
    minAt: timestampTz('min_at').notNull(),
    maxStep: integer('max_step').notNull(),
    maxValue: doublePrecision('max_value').notNull(),
    maxAt: timestampTz('max_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'metric_cells_pk', columns: [t.runId, t.name, t.width, t.cell] }),
    foreignKey({
      name: 'metric_cells_run_fk',
      columns: [t.teamId, t.runId],
      foreignColumns: [runs.teamId, runs.id],
    }).onDelete('cascade'),
  ],
);
