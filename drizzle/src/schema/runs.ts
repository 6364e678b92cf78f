// Runs and their checkpoints (one file: each refers to the other). A run's `status` is written only
// by `transition()` in `@curio/runs`, which appends a `run_events` row in the same transaction.
import type { RunSpec } from '@curio/contracts';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
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
import { createdAt, idColumn, timestampTz, updatedAt } from './columns';
import { STOP_REASONS, runStatus } from './enums';
import { experiments } from './experiments';
import { teamIdColumn } from './teams';

export const runs = pgTable(
  'runs',
  {
    id: idColumn(ID_PREFIXES.run),
    teamId: teamIdColumn(),
    experimentId: text('experiment_id').notNull(),
    status: runStatus('status').notNull().default('queued'),
    /** Attempts started so far: queued → dispatching adds one. */
    attempt: integer('attempt').notNull().default(0),
    /** failed → queued (a retry) is allowed only while attempt < max_attempts. */
    maxAttempts: integer('max_attempts').notNull().default(3),
    /** The last `run_events.seq` used for this run. */
    eventSeq: integer('event_seq').notNull().default(0),
    /** Last sign of life from the worker (or the dispatch time); the reaper watches it. */
    heartbeatAt: timestampTz('heartbeat_at'),
    error: text('error'),
    stopReason: text('stop_reason', { enum: STOP_REASONS }),
    /** Dispatcher that ran it, e.g. `local` or `modal`. */
    backend: text('backend'),
    /** Device kind, e.g. `cpu` or `H100`; keys the price table. */
    device: text('device'),
    deviceSeconds: doublePrecision('device_seconds').notNull().default(0),
    /** In the price table's currency (USD). */
    costEstimate: doublePrecision('cost_estimate').notNull().default(0),
    budgetMaxMinutes: doublePrecision('budget_max_minutes'),
    budgetMaxCost: doublePrecision('budget_max_cost'),
    /** Zero-shot top-1 at which the run stops, on `target_eval_set` (default: the first). */
    targetAccuracy: doublePrecision('target_accuracy'),
    targetEvalSet: text('target_eval_set'),
    /** Unique per team; a repeated create with the same key returns the first run. */
    idempotencyKey: text('idempotency_key'),
    /** The resolved spec the worker fetches (experiment config with pools etc. resolved). */
    spec: jsonb('spec').$type<RunSpec>(),
    /** The checkpoint the next attempt resumes from (set when a failed run is re-queued). */
    resumeCheckpointId: text('resume_checkpoint_id').references((): AnyPgColumn => checkpoints.id, {
      onDelete: 'set null',
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    startedAt: timestampTz('started_at'),
    finishedAt: timestampTz('finished_at'),
  },
  (t) => [
    unique('runs_team_id_uq').on(t.teamId, t.id),
    unique('runs_team_idempotency_uq').on(t.teamId, t.idempotencyKey),
    index('runs_experiment_idx').on(t.experimentId),
    index('runs_status_heartbeat_idx').on(t.status, t.heartbeatAt),
    foreignKey({
      name: 'runs_experiment_fk',
      columns: [t.teamId, t.experimentId],
      foreignColumns: [experiments.teamId, experiments.id],
    }),
    check('runs_attempt_range', sql`${t.attempt} >= 0 AND ${t.maxAttempts} >= 1`),
  ],
);

export const checkpoints = pgTable(
  'checkpoints',
  {
    id: idColumn(ID_PREFIXES.checkpoint),
    teamId: teamIdColumn(),
    runId: text('run_id').notNull(),
    step: integer('step').notNull(),
    blobUri: text('blob_uri').notNull(),
    /** The model config (preset, tower shapes) needed to rebuild the model. */
    architecture: jsonb('architecture').$type<Record<string, unknown>>().notNull(),
    /** The checkpoint this one was trained from (a resume or a tower init). */
    parentCheckpointId: text('parent_checkpoint_id').references((): AnyPgColumn => checkpoints.id, {
      onDelete: 'set null',
    }),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256'),
    createdAt: createdAt(),
  },
  (t) => [
    unique('checkpoints_run_step_uq').on(t.runId, t.step),
    foreignKey({
      name: 'checkpoints_run_fk',
      columns: [t.teamId, t.runId],
      foreignColumns: [runs.teamId, runs.id],
    }).onDelete('cascade'),
  ],
);
