// The pool and one arm of `npm run bench:sampling`: three synthetic sources (clean, half
// off-target, pure noise) and a training job over them with size-proportional or adaptive source
// weights, to a target zero-shot top-1; when it got there and where the weights went.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSpecInput, SourceWeightsSpec } from '@curio/contracts';
import { generateSyntheticData, type SyntheticDataResult } from '@curio/synthetic';
import { weightFloor } from '../src/data/index.js';
import { runBenchJob } from './bench-job.js';

export interface SamplingPool {
  sources: { name: string; data: SyntheticDataResult }[];
  /** The eval set and metadata: the clean source's (every source has the same classes). */
  clean: SyntheticDataResult;
}

/**
 * `clean`: 90% on-target pairs; `mixed`: half on-target, half web-like off-target pairs; `noise`:
 * on-target captions on the wrong images only (captions unrelated to their images), twice the
 * size of the others, so that ∝ size it fills half the batches.
 */
export async function samplingPool(
  pairs: number,
  seed: number,
  evalPerClass: number,
): Promise<SamplingPool> {
  const dir = await mkdtemp(join(tmpdir(), 'curio-bench-sampling-'));
  const make = (name: string, poolSize: number, onTarget: number, mismatched: number) =>
    generateSyntheticData({
      outDir: join(dir, name),
      seed: seed + poolSize + Math.round(100 * onTarget),
      poolSize,
      onTargetFraction: onTarget,
      mismatchedFraction: mismatched,
      shardSize: 500,
      evalPerClass,
    }).then((data) => ({ name, data }));
  const sources = [
    await make('clean', pairs, 0.9, 0),
    await make('mixed', pairs, 0.5, 0),
    await make('noise', 2 * pairs, 0, 1),
  ];
  return { sources, clean: sources[0]!.data };
}

export type SamplingArm = 'proportional' | 'adaptive';

/** Steps between two evaluations of an arm. */
export const EVAL_EVERY = 20;

export interface ArmOptions {
  arm: SamplingArm;
  pool: SamplingPool;
  seed: number;
  maxMinutes: number;
  maxSteps: number;
  batchSize: number;
  lr: number;
  /** The adaptive arm's settings (the schema's defaults where absent). */
  adaptive: Partial<SourceWeightsSpec>;
  backend: string;
}

export interface ArmResult {
  arm: SamplingArm;
  seed: number;
  bestTop1: number;
  /** Every evaluation's zero-shot top-1, in order (one every EVAL_EVERY steps). */
  top1s: number[];
  /** The training wall time at each of those evaluations (the held-out passes included). */
  evalSeconds: number[];
  /** Adaptive only: the noise source's weight at each update, and its floor ε/K. */
  noiseWeights?: number[];
  floor?: number;
  /** Adaptive only: steps between weight updates (the first update is at this step). */
  interval?: number;
}

export async function runArm(o: ArmOptions): Promise<ArmResult> {
  const { pool } = o;
  const spec: RunSpecInput = {
    name: `bench-sampling-${o.arm}`,
    seed: o.seed,
    pool: { sources: pool.sources.map((s) => ({ name: s.name, shards: [s.data.poolDir] })) },
    metadata: { file: pool.clean.metadataFile },
    evalSets: [{ name: 'shapes', path: pool.clean.evalDir }],
    model: { preset: 'tiny' },
    training: {
      batchSize: o.batchSize,
      lr: o.lr,
      warmupSteps: 20,
      sampling: 'debiased',
      sourceWeights: { ...o.adaptive, mode: o.arm },
    },
    curation: { mode: 'none' },
    // Both arms train to the end: the target is read off their evaluations (../sampling.ts), and
    // where the adaptive arm's weights go after it is half its result.
    stop: { maxMinutes: o.maxMinutes, maxSteps: o.maxSteps },
    eval: { everySteps: EVAL_EVERY },
    checkpoint: { everySteps: 100_000 },
  };
  const { config, summary, recorded } = await runBenchJob(spec, {
    label: `sampling-${o.arm}`,
    backend: o.backend,
    echo: (line) => console.log(`${o.arm}${line}`),
  });
  const evals = summary.evaluations;
  const settings = config.spec.training.sourceWeights;
  const weights = recorded.steps.flatMap((s) => (s.sourceWeights ? [s.sourceWeights] : []));
  return {
    arm: o.arm,
    seed: o.seed,
    top1s: evals.map((e) => +e.zeroShot.top1.toFixed(4)),
    evalSeconds: evals.map((e) => +e.elapsedSeconds.toFixed(1)),
    bestTop1: Math.max(0, ...evals.map((e) => e.zeroShot.top1)),
    ...(o.arm === 'adaptive'
      ? {
          // The first entry is the size-proportional start; the rule sets the rest.
          noiseWeights: weights.map((w) => +(w.noise ?? 0).toFixed(4)),
          floor: +weightFloor(settings, pool.sources.length).toFixed(4),
          interval: settings.interval,
        }
      : {}),
  };
}

/**
 * The first evaluation that starts `sustain` evaluations in a row at or above the target: one
 * evaluation that a noisy eval set lifts over the target does not count as reaching it.
 */
export function reachedAt(top1s: number[], target: number, sustain: number): number | undefined {
  for (let i = 0; i + sustain <= top1s.length; i += 1)
    if (top1s.slice(i, i + sustain).every((t) => t >= target)) return i;
  return undefined;
}
