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
//        run's spec starts from (`model.*.init` or `growth.parent`, resolved to
//        `{ checkpoint }`; 404 for any other)
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
  /** e.g. `log`, `curation` (data: `CurationRoundData`), `growth` (data: `GrowthStepData`). */
  type: z.string().min(1).max(50),
  message: z.string().max(10_000),
  data: z.record(z.string(), z.unknown()).optional(),
});
/** The model's additions in a round (the handover that only adds; absent while it cannot add). */
export const CurationHandoverStats = z.object({
  /** Rejected pairs whose images the model checked, of which the word scorer ranked… */
  probed: z.number().int().min(0),
  ranked: z.number().int().min(0),
  /** …of which above the bar (the median image score of the round's selected pairs)… */
  eligible: z.number().int().min(0),
  /** …of which added, best first, within the cap. */
  added: z.number().int().min(0),
  cap: z.number().int().min(0),
  /** The cap as a share of the selected pairs, this round and next. */
  capShare: z.number().min(0),
  nextCapShare: z.number().min(0),
  /** Image scores (max cosine to the metadata): the hits' median (the bar), the additions' median. */
  hitImageMedian: z.number().nullable(),
  addedImageMedian: z.number().nullable(),
  /** Image-caption agreement: the additions' median against the hits' lower quartile (proof). */
  addedAgreement: z.number().nullable(),
  hitAgreementQ1: z.number().nullable(),
});
export type CurationHandoverStats = z.infer<typeof CurationHandoverStats>;

/** The pair filter by evidence (from the second round on). */
export const CurationPairFilterStats = z.object({
  /** Pairs whose image-text agreement fell below `floor` (median − cutoff · robust σ). */
  dropped: z.number().int().min(0),
  floor: z.number().nullable(),
  medianAgreement: z.number().nullable(),
});
export type CurationPairFilterStats = z.infer<typeof CurationPairFilterStats>;

/** Counts of aligned on-target pairs (and swapped captions), on pools whose shards say so. */
export const CurationTruthStats = z.object({
  /** Aligned on-target pairs among those scanned, the lexical hits, the additions and the kept. */
  scanned: z.number().int().min(0),
  hits: z.number().int().min(0),
  /** …among the pairs the image probe checked (absent when no probe ran)… */
  probed: z.number().int().min(0).optional(),
  added: z.number().int().min(0),
  kept: z.number().int().min(0),
  /** Swapped captions among the lexical hits and among the pairs the filter dropped. */
  swappedHits: z.number().int().min(0),
  swappedDropped: z.number().int().min(0),
  /** Aligned on-target pairs the filter dropped. */
  alignedDropped: z.number().int().min(0),
});
export type CurationTruthStats = z.infer<typeof CurationTruthStats>;

/**
 * A caption sampled from a round, with where its image lies: sample `key` of `shard`, one of the
 * run's pool shards as the run's spec names it (`GET /v1/runs/{id}/curation/samples/image`).
 */
export const CurationSample = z.object({
  caption: z.string().max(10_000),
  shard: z.string().min(1).max(4096),
  key: z.string().min(1).max(1024),
});
export type CurationSample = z.infer<typeof CurationSample>;

/**
 * The `data` of a `curation` event: one CiT round as the trainer reports it (it may carry more:
 * histogram, examples, scorers). `keptOnTarget` and `truth` only on pools that know (synthetic).
 */
export const CurationRoundData = z.looseObject({
  step: z.number().int().min(0),
  round: z.number().int().min(1),
  scanned: z.number().int().min(0),
  kept: z.number().int().min(0),
  ratio: z.number().min(0).max(1),
  /** Steps the round trains for (fewer than `interval` when its kept set is small). */
  steps: z.number().int().min(0).optional(),
  lexicalHits: z.number().int().min(0),
  warm: z.boolean(),
  /** The smoothed agreement (AUC) the warm signal compares with its bar. */
  smoothedAgreement: z.number().nullable().optional(),
  gammaFired: z.boolean(),
  handover: CurationHandoverStats.optional(),
  pairFilter: CurationPairFilterStats.optional(),
  truth: CurationTruthStats.optional(),
  keptOnTarget: z.number().min(0).max(1).optional(),
  /** A few of the round's kept and rejected captions, with where their images lie. */
  keptSamples: z.array(CurationSample).max(100).optional(),
  rejectedSamples: z.array(CurationSample).max(100).optional(),
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
  /**
   * The checkpoint this one's model grew from: in a growth run, `growth.parent`'s checkpoint id on
   * every checkpoint of the run (the trainer also writes it as `parentCheckpoint` in the
   * checkpoint's state.json). Absent for runs that do not grow.
   */
  parentCheckpoint: z.string().min(1).max(100).optional(),
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
