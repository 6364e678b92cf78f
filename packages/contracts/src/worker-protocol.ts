// The worker protocol: everything a trainer process running a platform run says to the API and
// hears back, over HTTP only. The worker knows the API URL, its run id and a run-scoped token
// (`Authorization: Bearer <token>`), nothing else: no database credentials.
//
//   GET  /v1/worker/runs/:runId/assignment           → WorkerAssignment
//   POST /v1/worker/runs/:runId/started              WorkerStarted → 204
//   POST /v1/worker/runs/:runId/heartbeat            WorkerHeartbeat → HeartbeatAnswer
//   POST /v1/worker/runs/:runId/metrics              WorkerMetrics → 204
//   POST /v1/worker/runs/:runId/events               WorkerEvents → 204
//   PUT  /v1/worker/runs/:runId/blobs/:key{.+}       raw bytes (application/octet-stream) → 204
//   GET  /v1/worker/runs/:runId/blobs/:key{.+}       → raw bytes (404 when absent)
//   DELETE /v1/worker/runs/:runId/blobs/:key{.+}     → 204 (a folder too; its checkpoint record goes)
//   GET  /v1/worker/runs/:runId/blobs?prefix=…       → { keys: string[] }
//   GET  /v1/worker/runs/:runId/inits/:checkpointId/:name  → raw bytes of a checkpoint the
//        run's spec starts a tower from (`model.*.init: { checkpoint }`; 404 for any other)
//   POST /v1/worker/runs/:runId/checkpoints          WorkerCheckpoint → { id }
//   POST /v1/worker/runs/:runId/evaluations          WorkerEvaluation → { id }
//   POST /v1/worker/runs/:runId/finished             WorkerFinished → 204
//
// Blob keys are relative to the run's own blob space (e.g. `checkpoints/00000100/weights.bin`);
// the API stores them in its blob store and records checkpoint rows with their full URI.
import { z } from 'zod';
import { MetricName } from './metric-names.js';
import { Attempt, boundedInt, DeviceKind, INT4_MAX, Seconds, Step } from './bounds.js';
import { DataAccess } from './data-access.js';
import { RunSpec } from './run-spec.js';

/** Why a run stopped: one vocabulary for the trainer, the API, the store and the CLI. */
export const STOP_REASONS = [
  'max_steps',
  'max_minutes',
  'max_cost',
  'target_accuracy',
  'canceled',
  'error',
] as const;
export const StopReason = z.enum(STOP_REASONS);
export type StopReason = z.infer<typeof StopReason>;

/** What the worker is to do: the fully resolved spec (shard URIs, metadata names, eval paths). */
export const WorkerAssignment = z.object({
  runId: z.string(),
  attempt: Attempt,
  spec: RunSpec,
  /** Resume from this checkpoint key in the run's blob space (a retried or resumed run). */
  resumeFrom: z.string().optional(),
  /** Seconds between heartbeats; a run whose heartbeat stops for long is reaped. */
  heartbeatSeconds: z.number().positive(),
  /** What the run's team may read: the worker checks every location against it again. */
  dataAccess: DataAccess,
});
export type WorkerAssignment = z.infer<typeof WorkerAssignment>;

export const WorkerStarted = z.object({
  attempt: Attempt,
  /** The tfjs backend in use, e.g. `wasm-native`. */
  backend: z.string().min(1).max(100),
  /** The device kind the price table knows, e.g. `cpu`, `nvidia-h100`. */
  device: DeviceKind,
});
export type WorkerStarted = z.infer<typeof WorkerStarted>;

export const WorkerHeartbeat = z.object({
  attempt: Attempt,
  step: Step,
  /** Device time used by this attempt so far. */
  deviceSeconds: Seconds,
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;

export const HeartbeatAnswer = z.object({
  /** True when the worker must stop now: the run was canceled or superseded, or its budget is spent. */
  stop: z.boolean(),
  reason: z.enum(['canceled', 'superseded', 'finished', 'max_cost']).optional(),
});
export type HeartbeatAnswer = z.infer<typeof HeartbeatAnswer>;

export const MetricPoint = z.object({
  step: Step,
  name: MetricName,
  value: z.number(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

export const WorkerMetrics = z.object({ points: z.array(MetricPoint).min(1).max(10_000) });
export type WorkerMetrics = z.infer<typeof WorkerMetrics>;

export const WorkerEvent = z.object({
  /** e.g. `log`, `curation`, `data-problem`. */
  type: z.string().min(1).max(50),
  message: z.string().max(10_000),
  data: z.record(z.string(), z.unknown()).optional(),
});
/**
 * The `data` of a `curation` event: one CiT round as the trainer reports it (more fields may
 * follow: histogram, examples, scorers). `keptOnTarget` only on pools that know (synthetic).
 */
export const CurationRoundData = z.looseObject({
  step: z.number().int().min(0),
  round: z.number().int().min(1),
  scanned: z.number().int().min(0),
  kept: z.number().int().min(0),
  ratio: z.number().min(0).max(1),
  lexicalHits: z.number().int().min(0),
  warm: z.boolean(),
  gammaFired: z.boolean(),
  keptOnTarget: z.number().min(0).max(1).optional(),
});
export type CurationRoundData = z.infer<typeof CurationRoundData>;

export const WorkerEvents = z.object({ events: z.array(WorkerEvent).min(1).max(1_000) });
export type WorkerEvents = z.infer<typeof WorkerEvents>;

export const WorkerCheckpoint = z.object({
  step: Step,
  /** Key of the checkpoint folder in the run's blob space. */
  key: z.string().min(1).max(1024),
  sizeBytes: boundedInt(0, Number.MAX_SAFE_INTEGER),
  architecture: z.record(z.string(), z.unknown()),
});
export type WorkerCheckpoint = z.infer<typeof WorkerCheckpoint>;

export const EvalMetrics = z.object({
  zeroShot: z.object({ top1: z.number(), top5: z.number(), n: boundedInt(0, INT4_MAX) }),
  retrieval: z
    .object({
      imageToText: z.object({ r1: z.number(), r5: z.number(), r10: z.number() }),
      textToImage: z.object({ r1: z.number(), r5: z.number(), r10: z.number() }),
      n: boundedInt(0, INT4_MAX),
    })
    .optional(),
});
export type EvalMetrics = z.infer<typeof EvalMetrics>;

export const WorkerEvaluation = z.object({
  step: Step,
  /** Eval set name as given in the spec. */
  evalSet: z.string().min(1).max(200),
  /** Key of the checkpoint evaluated, when one was written at this step. */
  checkpointKey: z.string().min(1).max(1024).optional(),
  metrics: EvalMetrics,
  /** Training wall time at which this was reached, across attempts. */
  elapsedSeconds: Seconds,
});
export type WorkerEvaluation = z.infer<typeof WorkerEvaluation>;

export const WorkerFinished = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('succeeded'),
    stopReason: StopReason.exclude(['canceled', 'error']),
    steps: Step,
    deviceSeconds: Seconds,
  }),
  z.object({
    status: z.literal('canceled'),
    steps: Step,
    deviceSeconds: Seconds,
  }),
  z.object({
    status: z.literal('failed'),
    error: z.string().min(1).max(10_000),
    deviceSeconds: Seconds,
  }),
]);
export type WorkerFinished = z.infer<typeof WorkerFinished>;
