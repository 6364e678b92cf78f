// Shared pieces of the trainer's job tests: a tiny synthetic data folder, a spec over it and a
// reporter that keeps what it is told.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunSpecInput } from '@curio/contracts';
import { selectBackend } from '../src/backend/index.js';
import { generateSyntheticData, type SyntheticDataResult } from '@curio/synthetic';

export async function startBackend(): Promise<string> {
  return (await selectBackend({ log: () => {} })).name;
}

export async function tinyData(opts: {
  poolSize: number;
  onTargetFraction: number;
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

export function outDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'curio-run-'));
}
