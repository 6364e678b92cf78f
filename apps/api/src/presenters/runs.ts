// Rows → API shapes for runs and what they produce.
import {
  ForwardGflops,
  type Checkpoint,
  type Evaluation,
  type Run,
  type RunEvent,
  type RunMetric,
} from '@curio/contracts';
import type {
  Checkpoint as CheckpointRow,
  Evaluation as EvaluationRow,
  Metric as MetricRow,
  Run as RunRow,
  RunEvent as RunEventRow,
} from '@curio/db/schema';
import { unflattenEvalMetrics } from '../services/eval-metrics.js';
import { iso } from './time.js';

export const presentRun = (r: RunRow): Run => ({
  id: r.id,
  experimentId: r.experimentId,
  status: r.status,
  attempt: r.attempt,
  maxAttempts: r.maxAttempts,
  device: r.device,
  backend: r.backend,
  deviceSeconds: r.deviceSeconds,
  costEstimate: r.costEstimate,
  budget: { maxMinutes: r.budgetMaxMinutes, maxCost: r.budgetMaxCost },
  targetAccuracy: r.targetAccuracy,
  targetEvalSet: r.targetEvalSet,
  stopReason: r.stopReason,
  error: r.error,
  createdAt: iso(r.createdAt),
  startedAt: iso(r.startedAt),
  finishedAt: iso(r.finishedAt),
  heartbeatAt: iso(r.heartbeatAt),
});

/** The per-tower forward GFLOPs the trainer records in a checkpoint's architecture, or null. */
export function checkpointGflops(c: CheckpointRow): ForwardGflops | null {
  return ForwardGflops.safeParse(c.architecture.forwardGflops).data ?? null;
}

export const presentCheckpoint = (c: CheckpointRow): Checkpoint => ({
  id: c.id,
  step: c.step,
  downloadPath: `/v1/runs/${c.runId}/checkpoints/${c.id}/download`,
  exportPath: `/v1/runs/${c.runId}/checkpoints/${c.id}/export`,
  architecture: c.architecture,
  forwardGflops: checkpointGflops(c),
  parentCheckpointId: c.parentCheckpointId,
  sizeBytes: c.sizeBytes,
  createdAt: iso(c.createdAt),
});

export const presentEvaluation = (e: EvaluationRow): Evaluation => ({
  id: e.id,
  step: e.step,
  evalSet: e.evalSetName,
  evalSetId: e.evalSetId,
  checkpointId: e.checkpointId,
  metrics: unflattenEvalMetrics(e.metrics),
  elapsedSeconds: e.elapsedSeconds,
  deviceSeconds: e.deviceSeconds,
  cost: e.cost,
  at: iso(e.at),
});

export const presentEvent = (e: RunEventRow): RunEvent => ({
  seq: e.seq,
  type: e.type,
  fromStatus: e.fromStatus,
  toStatus: e.toStatus,
  message: e.message,
  data: e.data,
  at: iso(e.at),
});

export const presentMetric = (m: MetricRow): RunMetric => ({
  step: m.step,
  name: m.name,
  value: m.value,
  at: iso(m.at),
});
