// What a run produces over time: its event log, scalar metrics, evaluations.
import type { MetricName } from '@curio/contracts';
import {
  bigint,
  doublePrecision,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  unique,
} from 'drizzle-orm/pg-core';
import { ID_PREFIXES } from '../ids';
import { idColumn, timestampTz } from './columns';
import { RUN_EVENT_TYPES, runStatus } from './enums';
import { evalSets } from './catalog';
import { checkpoints, runs } from './runs';
import { teamIdColumn } from './teams';

/** Append-only (a trigger refuses UPDATE). `seq` counts 1, 2, … per run. */
export const runEvents = pgTable(
  'run_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: teamIdColumn(),
    runId: text('run_id').notNull(),
    seq: integer('seq').notNull(),
    type: text('type', { enum: RUN_EVENT_TYPES }).notNull(),
    /** Set on `status` events; null `from` marks the run's creation. */
    fromStatus: runStatus('from_status'),
    toStatus: runStatus('to_status'),
    message: text('message'),
    data: jsonb('data').$type<Record<string, unknown>>(),
    at: timestampTz('at').notNull().defaultNow(),
  },
  (t) => [
    unique('run_events_run_seq_uq').on(t.runId, t.seq),
    foreignKey({
      name: 'run_events_run_fk',
      columns: [t.teamId, t.runId],
      foreignColumns: [runs.teamId, runs.id],
    }).onDelete('cascade'),
  ],
);

/** One scalar per (run, name, step); a resend of the same point is an upsert, not a duplicate. */
export const metrics = pgTable(
  'metrics',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    teamId: teamIdColumn(),
    runId: text('run_id').notNull(),
    step: integer('step').notNull(),
    /** One of METRIC_NAMES (@curio/contracts): the worker protocol accepts no other. */
    name: text('name').$type<MetricName>().notNull(),
    value: doublePrecision('value').notNull(),
    at: timestampTz('at').notNull().defaultNow(),
  },
  (t) => [
    unique('metrics_run_name_step_uq').on(t.runId, t.name, t.step),
    foreignKey({
      name: 'metrics_run_fk',
      columns: [t.teamId, t.runId],
      foreignColumns: [runs.teamId, runs.id],
    }).onDelete('cascade'),
  ],
);

/** Zero-shot / retrieval results of a checkpoint on an eval set, with the time and cost to reach them. */
export const evaluations = pgTable(
  'evaluations',
  {
    id: idColumn(ID_PREFIXES.evaluation),
    teamId: teamIdColumn(),
    runId: text('run_id').notNull(),
    checkpointId: text('checkpoint_id').references(() => checkpoints.id, { onDelete: 'set null' }),
    evalSetId: text('eval_set_id').references(() => evalSets.id, { onDelete: 'set null' }),
    /** The eval set's name as the run spec gives it (kept if the eval set is deleted). */
    evalSetName: text('eval_set_name').notNull(),
    step: integer('step').notNull(),
    /** e.g. `{ "zeroshot_top1": 0.41, "image_retrieval_recall@5": 0.62 }`. */
    metrics: jsonb('metrics').$type<Record<string, number>>().notNull(),
    /** Wall-clock seconds since the run started when this was reached. */
    elapsedSeconds: doublePrecision('elapsed_seconds').notNull(),
    deviceSeconds: doublePrecision('device_seconds').notNull().default(0),
    /** Cost estimate at which this was reached. */
    cost: doublePrecision('cost').notNull().default(0),
    at: timestampTz('at').notNull().defaultNow(),
  },
  (t) => [
    unique('evaluations_run_set_step_uq').on(t.runId, t.evalSetName, t.step),
    index('evaluations_run_idx').on(t.runId, t.at),
    foreignKey({
      name: 'evaluations_run_fk',
      columns: [t.teamId, t.runId],
      foreignColumns: [runs.teamId, runs.id],
    }).onDelete('cascade'),
  ],
);
