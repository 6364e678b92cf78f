// A training job with adaptive source weights on two tiny synthetic sources, one of them noise
// (on-target captions on the wrong images): the weights it reports, and its exact resume.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SyntheticDataResult } from '@curio/synthetic';
import { outDir, runSpec, specFor, startBackend, tinyData } from './helpers.js';

let backend: string;
let clean: SyntheticDataResult;
let noise: SyntheticDataResult;

beforeAll(async () => {
  backend = await startBackend();
  clean = await tinyData({ poolSize: 300, onTargetFraction: 0.8, seed: 1 });
  noise = await tinyData({ poolSize: 300, onTargetFraction: 0, mismatchedFraction: 1, seed: 2 });
});

const spec = () =>
  specFor(clean, {
    pool: {
      sources: [
        { name: 'clean', shards: [clean.poolDir] },
        { name: 'noise', shards: [noise.poolDir] },
      ],
    },
    stop: { maxSteps: 16 },
    curation: { mode: 'none' },
    training: {
      batchSize: 16,
      lr: 1e-3,
      warmupSteps: 2,
      sourceWeights: { mode: 'adaptive', interval: 4, heldOut: 32 },
    },
    checkpoint: { everySteps: 4 },
  });

describe('a training job with adaptive source weights', () => {
  it('sets the weights every interval, and resumes on the same weights and loss curve', async () => {
    const whole = await runSpec(spec(), await outDir(), { backend });
    const set = whole.steps.filter((s) => s.sourceWeights);
    // Reported with the step whose batch they were first drawn for: before steps 0, 4, 8, 12.
    expect(set.map((s) => s.step)).toEqual([1, 5, 9, 13]);
    expect(set[0]!.sourceWeights).toEqual({ clean: 268 / 536, noise: 268 / 536 });
    for (const s of set) {
      const w = Object.values(s.sourceWeights!);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (const x of w) expect(x).toBeGreaterThanOrEqual(0.15 / 2 - 1e-12);
    }

    // Stopped at step 8, where an update is due before the next batch.
    const dir = await outDir();
    const first = await runSpec(spec(), dir, { backend, stopAfterStep: 8 });
    expect(first.checkpoints.at(-1)?.step).toBe(8);
    const rest = await runSpec(spec(), dir, { backend, resume: true });
    const after = whole.steps.slice(8);
    expect(rest.steps.map((s) => s.step)).toEqual(after.map((s) => s.step));
    rest.steps.forEach((s, i) => {
      expect(s.loss, `step ${s.step}`).toBeCloseTo(after[i]!.loss, 5);
      expect(s.sourceWeights, `step ${s.step}`).toEqual(after[i]!.sourceWeights);
    });
  });
});
