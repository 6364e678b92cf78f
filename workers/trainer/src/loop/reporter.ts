// What a training job tells the world. Standalone, it goes to files and the console
// (output/run-dir-reporter.ts); under the platform, to the API over HTTP.
import type { ForwardGflops, GrowthStepData, StopReason } from '@curio/contracts';
import type { CurationRoundStats } from '../curation/curator.js';
import type { EvalResult } from '../eval/evaluate.js';

export interface StepReport {
  step: number;
  loss: number;
  lr: number;
  /** Contrastive temperature τ after the step (1 / the logit scale). */
  temperature: number;
  gradNorm: number;
  samplesPerSec: number;
  /** Achieved training GFLOP/s (3 × forward FLOPs × samples/s). */
  gflopPerSec: number;
  batchSize: number;
  /** Kept ratio of the last curation round (CiT / offline). */
  curationRatio?: number;
  /** Adaptive source weights, per source name, on the steps whose batch they were first set for. */
  sourceWeights?: Record<string, number>;
  elapsedSeconds: number;
}

export interface EvalReport extends EvalResult {
  step: number;
  elapsedSeconds: number;
}

export interface RunSummary {
  steps: number;
  stopReason: StopReason;
  elapsedSeconds: number;
  backend: string;
  /** Forward GFLOPs per sample of each tower of the model trained. */
  forwardGflops: ForwardGflops;
  evaluations: EvalReport[];
  /** Data problems met while reading (skipped samples), one line. */
  dataProblems: string;
}

export interface CheckpointInfo {
  step: number;
  key: string;
  sizeBytes: number;
  /** A growth run's parent checkpoint (its id in worker mode, its path standalone). */
  parentCheckpoint?: string;
}

export interface RunReporter {
  log(message: string, data?: Record<string, unknown>): void;
  step(report: StepReport): void;
  curation(step: number, stats: CurationRoundStats): void;
  evaluation(report: EvalReport): void;
  /** A growth step: every candidate child and the one that continues (GrowCLIP). */
  growth(data: GrowthStepData): void;
  checkpoint(info: CheckpointInfo): Promise<void> | void;
  /** Checked between steps: a reason stops the run (cancellation, a spent budget). */
  stopRequested?(): StopReason | undefined;
  finished(summary: RunSummary): Promise<void> | void;
}
