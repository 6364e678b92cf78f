// Shared pieces of the trainer's job tests: a tiny synthetic data folder, a spec over it and a
// reporter that keeps what it is told.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSpecInput, StopReason } from '@curio/contracts';
import { LocalBlobStore } from '../src/checkpoint/blob-store.js';
import { latestCheckpoint } from '../src/checkpoint/checkpoint.js';
import { resolveConfig } from '../src/config.js';
import { runJob } from '../src/loop/job.js';
import { memoryReporter } from '../src/output/memory-reporter.js';
import { selectBackend } from '../src/backend/index.js';
import { generateSyntheticData, type SyntheticDataResult } from '@curio/synthetic';
import { onTestFinished } from 'vitest';

export async function startBackend(): Promise<string> {
  return (await selectBackend({ log: () => {} })).name;
}

export async function tinyData(opts: {
  poolSize: number;
  onTargetFraction: number;
  mismatchedFraction?: number;
  seed?: number;
}): Promise<SyntheticDataResult> {
  return generateSyntheticData({
    outDir: await mkdtemp(join(tmpdir(), 'curio-synth-')),
    seed: opts.seed ?? 1,
    shardSize: 200,
    evalPerClass: 10,
    ...opts,
  });
}

export function specFor(
  data: SyntheticDataResult,
  overrides: Partial<RunSpecInput> & { stop: RunSpecInput['stop'] },
): RunSpecInput {
  return {
    seed: 3,
    pool: { sources: [{ name: 'synthetic', shards: [data.poolDir] }] },
    metadata: { file: data.metadataFile },
    evalSets: [{ name: 'shapes', path: data.evalDir }],
    model: { preset: 'tiny' },
    training: { batchSize: 32, lr: 1e-3, warmupSteps: 5 },
    curation: { mode: 'cit', interval: 10 },
    eval: { everySteps: 1000 },
    checkpoint: { everySteps: 10 },
    data: { prefetchBatches: 1 },
    ...overrides,
  };
}

/** A run folder for the current test, removed when the test ends (checkpoints are tens of MB). */
export async function outDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'curio-run-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Run a training job on `spec` in `dir` (resuming from its latest checkpoint if asked; stopped
 * after `stopAfterStep`, by `stopReason` if given): its summary and everything it reported.
 */
export async function runSpec(
  spec: RunSpecInput,
  dir: string,
  o: { backend: string; resume?: boolean; stopAfterStep?: number; stopReason?: StopReason },
) {
  const config = await resolveConfig(spec, { outDir: dir, baseDir: dir });
  const store = new LocalBlobStore(dir);
  const reporter = memoryReporter({
    stopAfterStep: o.stopAfterStep,
    ...(o.stopReason ? { stopReason: o.stopReason } : {}),
  });
  const resumeFrom = o.resume ? await latestCheckpoint(store) : undefined;
  const summary = await runJob({
    config,
    store,
    reporter,
    backend: o.backend,
    ...(resumeFrom ? { resumeFrom } : {}),
  });
  return { summary, ...reporter.recorded };
}
