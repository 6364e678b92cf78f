// Runs: start one from an experiment (with a budget and a target), follow it, cancel it.
import { z } from 'zod';
import { DeviceKind, MAX_COST, MAX_MINUTES } from '../bounds.js';
import { ForwardGflops } from '../forward-gflops.js';
import { MetricName } from '../metric-names.js';
import { CheckpointRef } from '../model-init.js';
import { CurationSample, EvalMetrics, STOP_REASONS } from '../worker-protocol.js';
import { PageQuery, Timestamp } from './common.js';

/** queued → dispatching → running → succeeded | failed | canceled (the store's `run_status` enum). */
export const RUN_STATUSES = [
  'queued',
  'dispatching',
  'running',
  'succeeded',
  'failed',
  'canceled',
] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/** Statuses a run never leaves. `failed` is final too, except for a retry (@curio/runs transitions). */
export const FINAL_STATUSES = [
  'succeeded',
  'failed',
  'canceled',
] as const satisfies readonly RunStatus[];
export type FinalStatus = (typeof FINAL_STATUSES)[number];

/** Statuses in which a worker is (or is being) given the run, so heartbeats are expected. */
export const ACTIVE_STATUSES = ['dispatching', 'running'] as const satisfies readonly RunStatus[];
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];

/** Statuses a run can still leave on its own: waiting for a worker or being worked on. */
export const UNFINISHED_STATUSES = [
  'queued',
  ...ACTIVE_STATUSES,
] as const satisfies readonly RunStatus[];
export type UnfinishedStatus = (typeof UNFINISHED_STATUSES)[number];

export function isRunStatus(value: unknown): value is RunStatus {
  return typeof value === 'string' && (RUN_STATUSES as readonly string[]).includes(value);
}

export function isFinalStatus(status: RunStatus): status is FinalStatus {
  return (FINAL_STATUSES as readonly RunStatus[]).includes(status);
}

export function isActiveStatus(status: RunStatus): status is ActiveStatus {
  return (ACTIVE_STATUSES as readonly RunStatus[]).includes(status);
}

export function isUnfinishedStatus(status: RunStatus): status is UnfinishedStatus {
  return (UNFINISHED_STATUSES as readonly RunStatus[]).includes(status);
}

/** Stop at whichever comes first: minutes of training or the cost estimate. */
export const RunBudget = z
  .object({
    maxMinutes: z.number().positive().max(MAX_MINUTES).optional(),
    /** In the price table's currency (USD). */
    maxCost: z.number().positive().max(MAX_COST).optional(),
  })
  .meta({ id: 'RunBudget' });
export type RunBudget = z.infer<typeof RunBudget>;

/** How a run is started (also what a schedule starts its runs with). */
export const RunOptions = z.object({
  budget: RunBudget.optional(),
  /** Stop once zero-shot top-1 reaches this, on `targetEvalSet` (default: the first eval set). */
  targetAccuracy: z.number().min(0).max(1).optional(),
  targetEvalSet: z.string().min(1).max(200).optional(),
  /** Attempts in all (a failed attempt is retried from its last checkpoint). Default 3. */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /** Device kind to run on (a key of the server's price table); default the server's. */
  device: DeviceKind.optional(),
});
export type RunOptions = z.infer<typeof RunOptions>;

export const RunCreate = RunOptions.extend({
  experimentId: z.string().min(1).max(100),
  /**
   * Resume from this checkpoint of a run of the same experiment (weights, optimizer, step, data
   * and curation state): a retry of a failed or canceled run from where it stopped.
   */
  resumeFrom: CheckpointRef.optional(),
});
export type RunCreate = z.input<typeof RunCreate>;

export const Run = z
  .object({
    id: z.string(),
    experimentId: z.string(),
    status: RunStatus,
    attempt: z.number().int(),
    maxAttempts: z.number().int(),
    device: z.string().nullable(),
    backend: z.string().nullable(),
    deviceSeconds: z.number(),
    costEstimate: z.number(),
    budget: z.object({ maxMinutes: z.number().nullable(), maxCost: z.number().nullable() }),
    targetAccuracy: z.number().nullable(),
    targetEvalSet: z.string().nullable(),
    stopReason: z.enum(STOP_REASONS).nullable(),
    error: z.string().nullable(),
    createdAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable(),
    heartbeatAt: Timestamp.nullable(),
  })
  .meta({ id: 'Run' });
export type Run = z.infer<typeof Run>;

export const Checkpoint = z
  .object({
    id: z.string(),
    step: z.number().int(),
    /** Where to download it (a tar of its files): the API path, never a location on the server. */
    downloadPath: z.string(),
    /** Where to download it for PyTorch / open_clip (a tar of model.safetensors and its configs). */
    exportPath: z.string(),
    architecture: z.record(z.string(), z.unknown()),
    /** Forward GFLOPs per sample of each tower of the checkpoint's model (null: not recorded). */
    forwardGflops: ForwardGflops.nullable(),
    parentCheckpointId: z.string().nullable(),
    sizeBytes: z.number().int(),
    createdAt: Timestamp,
  })
  .meta({ id: 'Checkpoint' });
export type Checkpoint = z.infer<typeof Checkpoint>;

/** An evaluation with the training time, device time and cost at which it was reached. */
export const Evaluation = z
  .object({
    id: z.string(),
    step: z.number().int(),
    evalSet: z.string(),
    evalSetId: z.string().nullable(),
    checkpointId: z.string().nullable(),
    metrics: EvalMetrics,
    elapsedSeconds: z.number(),
    deviceSeconds: z.number(),
    cost: z.number(),
    at: Timestamp,
  })
  .meta({ id: 'Evaluation' });
export type Evaluation = z.infer<typeof Evaluation>;

export const LatestMetric = z.object({ step: z.number().int(), value: z.number() });

export const RunDetail = Run.extend({
  /** The spec the worker trains on (references resolved when the run was created). */
  spec: z.record(z.string(), z.unknown()).nullable(),
  resumeCheckpointId: z.string().nullable(),
  /** Each metric's value at its latest step. */
  latestMetrics: z.record(z.string(), LatestMetric),
  evaluations: z.array(Evaluation),
  checkpoints: z.array(Checkpoint),
  /** Forward GFLOPs per sample of each tower, as of the newest checkpoint (null before one). */
  forwardGflops: ForwardGflops.nullable(),
}).meta({ id: 'RunDetail' });
export type RunDetail = z.infer<typeof RunDetail>;

export const RunEvent = z
  .object({
    seq: z.number().int(),
    type: z.string(),
    fromStatus: RunStatus.nullable(),
    toStatus: RunStatus.nullable(),
    message: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    at: Timestamp,
  })
  .meta({ id: 'RunEvent' });
export type RunEvent = z.infer<typeof RunEvent>;

export const RunMetric = z
  .object({ step: z.number().int(), name: MetricName, value: z.number(), at: Timestamp })
  .meta({ id: 'RunMetric' });
export type RunMetric = z.infer<typeof RunMetric>;

export const RunListQuery = PageQuery.extend({
  status: RunStatus.optional(),
  experimentId: z.string().min(1).max(100).optional(),
  /**
   * Search, case-insensitive: a run id starting with it, or it within the experiment's name, the
   * status, the device or the error text.
   */
  q: z.string().trim().min(1).max(200).optional(),
});
export const RunEventsQuery = PageQuery.extend({
  /** Only events of this type (`status`, `log`, `progress`, `checkpoint`, `evaluation`, `curation`, `growth`). */
  type: z.string().min(1).max(50).optional(),
});
/** The most buckets `?points=` may ask for, per series. */
export const MAX_METRIC_BUCKETS = 10_000;

export const RunMetricsQuery = PageQuery.extend({
  name: MetricName.optional(),
  /**
   * Downsample: cut each series' step range into at most this many buckets (more than half as
   * many, aligned to the server's rollup cells) and answer each bucket's first, last, lowest and
   * highest point (at most 4 × points per series, all in one page).
   */
  points: z.coerce.number().int().min(1).max(MAX_METRIC_BUCKETS).optional(),
});

/** `GET /v1/runs/:id/curation/samples/image`: a round's sample, as the round names it. */
export const CurationSampleImageQuery = CurationSample.pick({ shard: true, key: true });

/**
 * `GET /v1/runs/:id/stream` sends server-sent events named by these keys, each with a JSON
 * `data`; the stream closes after `end` (the run reached a final status), or after `closed` (the
 * caller's key was revoked, expired or changed role while it streamed).
 */
export const RunStreamEvents = {
  run: Run,
  metrics: z.object({ points: z.array(RunMetric) }),
  evaluation: Evaluation,
  event: RunEvent,
  end: Run,
  closed: z.object({ reason: z.string() }),
} as const;
export type RunStreamEventName = keyof typeof RunStreamEvents;
