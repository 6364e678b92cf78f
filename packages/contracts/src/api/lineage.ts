// An experiment's lineage: its checkpoints as a tree (each names its parent: the run's previous
// checkpoint, or the checkpoint a run grew or started from) and its growth steps as the edges
// where a model grew, with every candidate child the step tried.
import { z } from 'zod';
import { GrowthOperator, GrowthScore } from '../growth.js';
import { Timestamp } from './common.js';

export const LineageCheckpoint = z
  .object({
    id: z.string(),
    runId: z.string(),
    /** Whether it belongs to another experiment's run (a parent this experiment started from). */
    external: z.boolean(),
    step: z.number().int(),
    parentCheckpointId: z.string().nullable(),
    /** e.g. `tiny: image 4×128 (4 heads), text 4×128 (4 heads)`. */
    architecture: z.string(),
    /** Its best zero-shot top-1 on any eval set, or null when it was never evaluated. */
    bestEval: z
      .object({ evalSet: z.string(), top1: z.number(), step: z.number().int() })
      .nullable(),
    createdAt: Timestamp,
  })
  .meta({ id: 'LineageCheckpoint' });
export type LineageCheckpoint = z.infer<typeof LineageCheckpoint>;

export const LineageCandidate = z.object({
  name: z.string(),
  operator: GrowthOperator,
  architecture: z.string(),
  gflopsPerSample: z.number(),
  params: z.number(),
  score: z.number(),
  proxySteps: z.number(),
  seconds: z.number(),
  chosen: z.boolean(),
});
export type LineageCandidate = z.infer<typeof LineageCandidate>;

export const LineageGrowthStep = z
  .object({
    id: z.string(),
    runId: z.string(),
    step: z.number().int(),
    /** The checkpoint grown from (null when it is gone). */
    parentCheckpointId: z.string().nullable(),
    /** The growth run's first checkpoint at or after `step` (null until it has one). */
    childCheckpointId: z.string().nullable(),
    parentArchitecture: z.string(),
    parentScore: z.number().nullable(),
    /** How candidates were scored: lower contrastive loss or higher zero-shot top-1 wins. */
    score: GrowthScore,
    momentum: z.number(),
    candidates: z.array(LineageCandidate),
    at: Timestamp,
  })
  .meta({ id: 'LineageGrowthStep' });
export type LineageGrowthStep = z.infer<typeof LineageGrowthStep>;

export const Lineage = z
  .object({
    experimentId: z.string(),
    /** Oldest first; a parent always comes before its children. */
    checkpoints: z.array(LineageCheckpoint),
    growthSteps: z.array(LineageGrowthStep),
  })
  .meta({ id: 'Lineage' });
export type Lineage = z.infer<typeof Lineage>;
